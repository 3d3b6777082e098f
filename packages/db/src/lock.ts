import { createHash } from 'node:crypto';
import { mkdirSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';

/** The embedded database's directory is already open in another process (or earlier in this one). */
export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(readonly dataDir: string) {
    super(
      `Thư mục dữ liệu ${dataDir} đang được một tiến trình khác sử dụng (máy chủ Tỉnh Số đang chạy?); ` +
        'dừng tiến trình đó rồi thử lại. / ' +
        `The data directory ${dataDir} is in use by another process (is the Tỉnh Số server running?); ` +
        'stop it and try again.',
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  /** The socket (or Windows pipe) that stands for the lock. */
  path: string;
  /** False when the filesystem offers no way to lock (no Unix sockets there or in the temp directory). */
  held: boolean;
  release(): Promise<void>;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);

/** Where the lock of `dataDir` lives: a socket beside the directory, in the temp directory when that path is too long. */
function candidates(dataDir: string): string[] {
  const abs = resolve(dataDir);
  if (process.platform === 'win32') return [`\\\\.\\pipe\\tinhso-${hash(abs.toLowerCase())}`];
  const beside = `${abs}.lock`;
  const inTmp = resolve(tmpdir(), `tinhso-${hash(abs)}.lock`);
  // sun_path holds 104 (macOS) to 108 (Linux) bytes.
  return Buffer.byteLength(beside) <= 100 ? [beside, inTmp] : [inTmp];
}

function listen(path: string): Promise<Server> {
  return new Promise((ok, fail) => {
    const server = createServer((c) => c.end());
    server.once('error', fail);
    server.listen(path, () => {
      server.off('error', fail);
      server.on('error', () => {});
      server.unref(); // the lock never keeps the process alive
      ok(server);
    });
  });
}

/** Whether a live process listens on `path` (a crashed holder leaves a socket file nobody answers on). */
function answers(path: string): Promise<boolean> {
  return new Promise((ok) => {
    const c = connect(path);
    const timer = setTimeout(() => {
      c.destroy();
      ok(true); // a holder too busy to accept: count it as alive
    }, 2000);
    c.once('connect', () => {
      clearTimeout(timer);
      c.destroy();
      ok(true);
    });
    c.once('error', () => {
      clearTimeout(timer);
      ok(false);
    });
  });
}

/**
 * Takes the lock of an embedded database directory: two PGlite instances on the same files corrupt them, and
 * PGlite itself does not refuse a second opener. The lock is a listening Unix socket (a named pipe on Windows):
 * the kernel drops it when its process ends, so a crash leaves no lock that needs clearing by hand.
 * Throws DataDirInUseError when a live process holds it.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  mkdirSync(dirname(resolve(dataDir)), { recursive: true }); // the lock lives beside the directory
  for (const path of candidates(dataDir)) {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const server = await listen(path);
        return {
          path,
          held: true,
          release: () =>
            new Promise<void>((ok) => {
              server.close(() => {
                if (process.platform !== 'win32') {
                  try {
                    unlinkSync(path);
                  } catch {}
                }
                ok();
              });
            }),
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') break; // no sockets here: try the next place
        if (await answers(path)) throw new DataDirInUseError(resolve(dataDir));
        try {
          unlinkSync(path); // left by a process that ended without closing it
        } catch {}
      }
    }
  }
  return { path: '', held: false, release: async () => {} };
}
