import { request } from 'node:http';

/**
 * The status code `url` answers with, bounded: `request`'s own `timeout` option only emits an event, so without
 * this the request could hang the test. Past `ms` the request is destroyed and the promise fails naming the URL.
 */
export function httpStatus(url: string, ms = 5000): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = request(url, (res) => {
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve(res.statusCode ?? 0);
      });
      res.resume();
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer from ${url} within ${ms} ms`)), ms);
    function fail(e: Error): void {
      clearTimeout(timer);
      reject(e);
    }
    req.on('error', fail);
    req.end();
  });
}
