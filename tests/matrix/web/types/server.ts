// `connect-chat-events/server`: the local endpoint for tests (Node).
import { startServer, LOCAL_CREDENTIALS } from 'connect-chat-events/server';
import type { RunningServer } from 'connect-chat-events/server';

type IsAny<T> = 0 extends 1 & T ? true : false;
export const notAny: [IsAny<typeof startServer>, IsAny<typeof LOCAL_CREDENTIALS>] = [false, false];
export async function withServer(): Promise<string> {
  const srv: RunningServer = await startServer({ port: 0, corsOrigins: ['*'] });
  const url: string = srv.url;
  await srv.close();
  return `${url} ${LOCAL_CREDENTIALS.accessKeyId}`;
}
// @ts-expect-error port is a number
export const bad = startServer({ port: '8787' });
