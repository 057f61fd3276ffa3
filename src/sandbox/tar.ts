/** One regular file of a tar archive. */
export interface TarFile {
  /** Relative, `/`-separated. */
  name: string;
  data: Buffer;
  mode?: number;
}

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, length, 'utf8');
}

const octal = (value: number, length: number): string => `${value.toString(8).padStart(length - 1, '0')}\0`;

/**
 * A ustar archive of regular files, built from bytes already read (by the host-side rule), so
 * what is hashed is exactly what is sent to the engine and nothing on disk is opened again.
 */
export function tarOf(files: readonly TarFile[]): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const name = Buffer.from(file.name);
    if (name.length > 255)
      throw new Error(`${file.name}: a path over 255 bytes cannot go into the build context`);
    const header = Buffer.alloc(512);
    // Names over 100 bytes are split into ustar's prefix and name at a slash.
    let prefix = '';
    let base = file.name;
    if (name.length > 100) {
      const cut = file.name.lastIndexOf('/', 155);
      if (cut <= 0 || Buffer.byteLength(file.name.slice(cut + 1)) > 100) {
        throw new Error(`${file.name}: the path cannot go into the build context (too long a file name)`);
      }
      prefix = file.name.slice(0, cut);
      base = file.name.slice(cut + 1);
    }
    field(header, 0, 100, base);
    field(header, 100, 8, octal(file.mode ?? 0o644, 8));
    field(header, 108, 8, octal(0, 8));
    field(header, 116, 8, octal(0, 8));
    field(header, 124, 12, octal(file.data.length, 12));
    field(header, 136, 12, octal(0, 12));
    field(header, 148, 8, '        ');
    field(header, 156, 1, '0');
    field(header, 257, 6, 'ustar\0');
    field(header, 263, 2, '00');
    field(header, 345, 155, prefix);
    let sum = 0;
    for (const byte of header) sum += byte;
    field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, file.data, Buffer.alloc((512 - (file.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
