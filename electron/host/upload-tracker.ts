import type { ApiReply } from '../../shared/api-bridge';

/** The uploads one bridge client began and has not finished or cancelled: cancelled for it when it goes away. */
export class UploadTracker {
  private readonly open = new Set<string>();
  private gone = false;

  /** Notes a reply; returns an upload to cancel at once (it began after its client went away). */
  track(method: unknown, args: unknown, reply: ApiReply): string | undefined {
    if (method === 'beginUpload') {
      const id = reply.ok ? (reply.result as { uploadId?: unknown } | null)?.uploadId : undefined;
      if (typeof id !== 'string') return undefined;
      if (this.gone) return id;
      this.open.add(id);
    } else if (method === 'finishUpload' || method === 'cancelUpload') {
      const first = Array.isArray(args) ? (args as unknown[])[0] : undefined;
      if (typeof first === 'string') this.open.delete(first);
    }
    return undefined;
  }

  /** The client went away: the uploads it left unfinished. */
  take(): string[] {
    this.gone = true;
    const ids = [...this.open];
    this.open.clear();
    return ids;
  }
}
