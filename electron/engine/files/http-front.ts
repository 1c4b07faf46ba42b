import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import busboy from 'busboy';
import type { TransferEvent, TransferProtocol } from '../../../shared/capture/events';
import { socketAddress } from '../connections/http-head';
import { parseRange } from './http-range';
import type { TransferStart } from './transfer-run';
import type { TransferService } from './transfer-service';
import type { TransferTicket } from './transfer-tickets';

/**
 * The HTTP(S) side of the file server: `/t/<token>/<name>`.
 * - PUT (or a POST that is not multipart) stores the body as <name> in the charger's folder;
 * - POST multipart/form-data stores each file part (its filename, else <name>);
 * - GET and HEAD serve the firmware the ticket names, with single byte ranges.
 * Unknown tokens get 403, a body over the limit 413, anything else 404/405. Every answer is plain text.
 */
export function handleFileRequest(service: TransferService, req: IncomingMessage, res: ServerResponse): void {
  const protocol: TransferProtocol = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  let path: string;
  try {
    path = new URL(req.url ?? '/', 'http://x').pathname;
  } catch {
    return answer(res, 400, 'Bad request URL.');
  }
  const m = /^\/t\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!m) return answer(res, 404, 'Transfer URLs look like /t/<token>/<file name>.');
  const ticket = service.tickets.get(m[1]);
  if (!ticket) return answer(res, 403, 'Unknown or expired transfer token.');
  const name = decoded(m[2] ?? '');
  const remote = socketAddress(req.socket.remoteAddress, req.socket.remotePort);
  const base = { protocol, ticket, ...(remote ? { remote } : {}) };
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') {
    void download(service, req, res, ticket, name, base, method === 'HEAD');
    return;
  }
  if (method !== 'PUT' && method !== 'POST') {
    res.setHeader('Allow', 'GET, HEAD, PUT, POST');
    return answer(res, 405, `${method} is not supported here.`);
  }
  if (ticket.purpose === 'download') return answer(res, 403, 'This token is for a download only.');
  const length = contentLength(req);
  if (length !== undefined && length > service.folder.maxUploadBytes) {
    // Refuse before reading: the event says why, the charger gets 413 and the connection is closed.
    const run = service.begin({ ...base, direction: 'upload', name: name || '(unnamed)', size: length });
    run.fail({
      code: 'transfer-too-large',
      severity: 'error',
      message: `The upload announces ${length} bytes, more than the limit of ${service.folder.maxUploadBytes}; it was refused.`,
    });
    res.setHeader('Connection', 'close');
    answer(res, 413, `Larger than the limit of ${service.folder.maxUploadBytes} bytes.`);
    req.resume();
    return;
  }
  const type = req.headers['content-type'] ?? '';
  if (method === 'POST' && /^multipart\/form-data/i.test(type)) {
    multipartUpload(service, req, res, name, base);
    return;
  }
  void service
    .upload(req, { ...base, direction: 'upload', name, ...(length !== undefined ? { size: length } : {}) })
    .then((e) => answerUpload(res, e));
}

function multipartUpload(
  service: TransferService,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  base: Omit<TransferStart, 'direction' | 'name'>,
): void {
  let bb: ReturnType<typeof busboy>;
  try {
    bb = busboy({ headers: req.headers, limits: { files: 16, fields: 64, fieldSize: 64 * 1024 } });
  } catch (error) {
    return answer(res, 400, `Bad multipart request: ${(error as Error).message}.`);
  }
  const uploads: Promise<TransferEvent | undefined>[] = [];
  bb.on('file', (_field, file, info) => {
    uploads.push(service.upload(file, { ...base, direction: 'upload', name: info.filename || name }));
  });
  bb.on('error', (error: Error) => {
    req.unpipe(bb);
    answer(res, 400, `Bad multipart request: ${error.message}.`);
  });
  bb.on('close', () => {
    void Promise.all(uploads).then((events) => {
      if (events.length === 0) return answer(res, 400, 'The multipart request holds no file.');
      const failed = events.find((e) => e?.phase !== 'completed');
      answerUpload(res, failed ?? events[events.length - 1]);
    });
  });
  req.pipe(bb);
}

function answerUpload(res: ServerResponse, e: TransferEvent | undefined): void {
  if (res.headersSent || res.writableEnded) return;
  if (e?.phase === 'completed')
    return answer(res, 201, `Stored ${e.name}: ${e.bytes} bytes, SHA-256 ${e.sha256}.`);
  const code = e?.findings?.[0]?.code;
  if (code === 'transfer-too-large') {
    res.setHeader('Connection', 'close');
    return answer(res, 413, e?.findings?.[0]?.message ?? 'Too large.');
  }
  answer(res, code === 'transfer-storage-failed' ? 500 : 400, e?.findings?.[0]?.message ?? 'Upload failed.');
}

async function download(
  service: TransferService,
  req: IncomingMessage,
  res: ServerResponse,
  ticket: TransferTicket,
  name: string,
  base: Omit<TransferStart, 'direction' | 'name'>,
  head: boolean,
): Promise<void> {
  if (ticket.purpose === 'upload') return answer(res, 403, 'This token is for an upload only.');
  if (ticket.firmware !== undefined && name !== ticket.firmware) {
    return answer(res, 404, `This token serves ${ticket.firmware} only.`);
  }
  const file = await service.folder.servable(name);
  if (!file) return answer(res, 404, 'No such file in the transfer folder.');
  const range = parseRange(headerText(req.headers.range), file.size);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Last-Modified', new Date(file.modifiedMs).toUTCString());
  if (range.kind === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${file.size}`);
    return answer(res, 416, 'The requested range lies outside the file.');
  }
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : file.size - 1;
  res.statusCode = range.kind === 'partial' ? 206 : 200;
  if (range.kind === 'partial') res.setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
  res.setHeader('Content-Length', String(Math.max(0, end - start + 1)));
  if (head) {
    res.end();
    return;
  }
  await service.download(file.path, { start, end, total: file.size }, res, {
    ...base,
    direction: 'download',
    name,
    size: end - start + 1,
    ...(start > 0 ? { offset: start } : {}),
  });
}

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function contentLength(req: IncomingMessage): number | undefined {
  const v = req.headers['content-length'];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text + '\n');
}
