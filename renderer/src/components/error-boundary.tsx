import { Component, type ReactNode } from 'react';

/** A crash in one panel shows what happened in words and leaves the rest of the window working. */
export class ErrorBoundary extends Component<{ name: string; children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="failure" style={{ margin: 12 }} data-testid="panel-error">
        <b>The {this.props.name} failed to draw:</b> {error.message}
        <div className="mt">
          <button type="button" className="btn small" onClick={() => this.setState({ error: undefined })}>
            Try again
          </button>
        </div>
      </div>
    );
  }
}
