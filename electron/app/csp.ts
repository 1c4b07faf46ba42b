// Moved to electron/common (shared by the app and the serve host); kept so existing imports keep working.
export * from '../common/csp';
