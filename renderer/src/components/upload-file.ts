import type { EngineApi, SourceInfo } from '../../../shared/api';

/**
 * Sends a file the browser picked to the engine in chunks (serve mode): each chunk is read from the File, sent, and
 * answered (written to disk by the engine) before the next is read, so neither side ever holds more than a chunk.
 * A failure on the way cancels the upload, so the engine keeps nothing of it.
 */

export type UploadApi = Pick<EngineApi, 'beginUpload' | 'uploadChunk' | 'finishUpload' | 'cancelUpload'>;

export function base64(bytes: Uint8Array): string {
  let out = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) out += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(out);
}

export async function uploadFile(
  api: UploadApi,
  file: Blob & { name: string },
  onProgress?: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<SourceInfo> {
  const ticket = await api.beginUpload(file.name, file.size);
  try {
    let offset = 0;
    while (offset < file.size) {
      if (signal?.aborted) throw new Error(`Opening ${file.name} was cancelled.`);
      const bytes = new Uint8Array(await file.slice(offset, offset + ticket.chunkBytes).arrayBuffer());
      // A file that shrank while being read would otherwise loop here for ever.
      if (bytes.length === 0) throw new Error(`${file.name} changed while it was being read.`);
      await api.uploadChunk(ticket.uploadId, offset, base64(bytes));
      offset += bytes.length;
      onProgress?.(offset, file.size);
    }
    if (signal?.aborted) throw new Error(`Opening ${file.name} was cancelled.`);
    return await api.finishUpload(ticket.uploadId);
  } catch (error) {
    await api.cancelUpload(ticket.uploadId).catch(() => undefined);
    throw error;
  }
}
