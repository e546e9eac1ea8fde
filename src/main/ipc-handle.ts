/**
 * The one way main answers the renderer: `handle(channel, service)` registers an ipcMain handler
 * that checks who is asking, validates the argument with the contract's validator, runs the service
 * and wraps its outcome as an IpcResult.
 *
 *   invoke -> sender check (our window, our page, top frame) -> REQUEST_VALIDATORS -> service -> IpcResult
 *
 * Only Electron's types are imported, so the checks run in unit tests with a fake ipcMain.
 */
import { REQUEST_VALIDATORS, type IpcChannel, type IpcRequest, type IpcResponse, type IpcResult } from '@shared/ipc/contract';
import { serializeError } from '@shared/ipc/worker-protocol';
import { isAppUrl } from './security-policy';

/** The parts of Electron's IpcMainInvokeEvent the sender check reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  /** Null once the frame navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike<E extends InvokeEventLike> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
}

/** Who may call: our main window's webContents showing our page. */
export interface TrustedRenderer {
  /** Id of the main window's webContents, or undefined while there is no window. */
  webContentsId(): number | undefined;
  /** The page the window loads (see appEntryUrl). */
  readonly entryUrl: string;
}

/** The value inside a channel's IpcResult. */
export type IpcValue<C extends IpcChannel> = IpcResponse<C> extends IpcResult<infer T> ? T : never;

export type IpcService<C extends IpcChannel, E> = (request: IpcRequest<C>, event: E) => IpcValue<C> | Promise<IpcValue<C>>;

export type Handle<E extends InvokeEventLike> = <C extends IpcChannel>(channel: C, service: IpcService<C, E>) => void;

/** Thrown (and returned as data) when a request does not come from our window and page. */
export class IpcSenderError extends Error {
  override readonly name = 'IpcSenderError';
}

/**
 * Why `event` must not be served, or undefined when it comes from the top frame of our main
 * window showing our page. Frames inside the page, other windows and navigated-away pages fail.
 */
export function senderRejection(event: InvokeEventLike, trusted: TrustedRenderer): string | undefined {
  const expectedId = trusted.webContentsId();
  if (expectedId === undefined || event.sender.id !== expectedId) return `webContents ${String(event.sender.id)} is not the main window`;
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null) return 'the sender is a sub-frame';
  if (!isAppUrl(frame.url, trusted.entryUrl)) return `the sending page ${JSON.stringify(frame.url.slice(0, 200))} is not the app`;
  return undefined;
}

/**
 * Checks the argument list of an invoke against the channel's validator: at most one argument
 * (the preload never sends more), shaped as the contract says.
 *
 * @returns the typed request; throws TypeError naming the problem.
 */
export function validateRequest<C extends IpcChannel>(channel: C, args: readonly unknown[]): IpcRequest<C> {
  if (args.length > 1) throw new TypeError(`${channel}: invalid request: expected at most one argument, got ${String(args.length)}`);
  const validate = REQUEST_VALIDATORS[channel] as (value: unknown) => IpcRequest<C>;
  return validate(args[0]);
}

/**
 * Runs one invoke end to end and never throws: a foreign sender, a malformed argument and a
 * failing service all come back as `{ok: false, error}`, so the renderer sees our message rather
 * than Electron's "Error invoking remote method" wrapper.
 */
export async function serveInvoke<C extends IpcChannel, E extends InvokeEventLike>(
  channel: C,
  service: IpcService<C, E>,
  trusted: TrustedRenderer,
  event: E,
  args: readonly unknown[],
  onRejectedSender: (message: string) => void = () => undefined,
): Promise<IpcResult<IpcValue<C>>> {
  const rejection = senderRejection(event, trusted);
  if (rejection !== undefined) {
    const message = `${channel}: refused: ${rejection}`;
    onRejectedSender(message);
    return { ok: false, error: serializeError(new IpcSenderError(message)) };
  }
  try {
    const request = validateRequest(channel, args);
    return { ok: true, value: await service(request, event) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

/**
 * Builds the `handle(channel, service)` registrar over an ipcMain. Each channel may be registered
 * once (ipcMain.handle itself throws on a second registration).
 *
 * @param onRejectedSender - told about refused senders; main logs them, as they mean something
 *   other than our page is talking to main.
 */
export function createHandle<E extends InvokeEventLike>(
  ipcMain: IpcMainLike<E>,
  trusted: TrustedRenderer,
  onRejectedSender?: (message: string) => void,
): Handle<E> {
  return (channel, service) => {
    ipcMain.handle(channel, (event, ...args) => serveInvoke(channel, service, trusted, event, args, onRejectedSender));
  };
}
