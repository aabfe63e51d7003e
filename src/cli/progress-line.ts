/** A progress line on stderr: rewritten in place on a terminal, appended as lines otherwise. */
export interface ProgressLine {
  write(line: string): void;
  end(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const tty = stream.isTTY;
  let written = false;
  return {
    write: (line) => {
      stream.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
      written = true;
    },
    end: () => {
      if (tty && written) stream.write('\n');
      written = false;
    },
  };
}
