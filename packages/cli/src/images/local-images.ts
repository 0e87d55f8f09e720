import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ImageCategory } from '@wp-edge/core';
import { imageSizeFromFile } from 'image-size/fromFile';
import pLimit from 'p-limit';
import { CliError } from '../errors.ts';

// Files read at once while a folder is described: each is streamed, so memory stays small.
const FILES_AT_ONCE = 8;

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
};

/** An image file of the folder being synced. */
export interface LocalImage {
  file: string;
  name: string;
  category: string;
  sha256: string;
  width: number;
  height: number;
  size: number;
  contentType: string;
}

/** The file's SHA-256 and length, read as a stream. */
async function digest(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { sha256: hash.digest('hex'), size };
}

async function describe(file: string, category: string): Promise<LocalImage> {
  const { sha256, size: bytes } = await digest(file);
  let size: { width?: number; height?: number; orientation?: number };
  try {
    // Reads the file's header only, not the whole picture.
    size = await imageSizeFromFile(file);
  } catch (error) {
    throw new CliError(`cannot read the size of ${file}: ${(error as Error).message}`);
  }
  if (!size.width || !size.height) throw new CliError(`cannot read the size of ${file}`);
  // EXIF orientations 5-8 turn the picture a quarter: a phone's portrait photo is stored wide.
  const turned = (size.orientation ?? 1) >= 5;
  return {
    file,
    name: path.basename(file),
    category,
    sha256,
    width: turned ? size.height : size.width,
    height: turned ? size.width : size.height,
    size: bytes,
    contentType: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
  };
}

async function imagesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && path.extname(entry.name).toLowerCase() in CONTENT_TYPES)
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

function category(name: string): string {
  const parsed = ImageCategory.safeParse(name);
  if (!parsed.success)
    throw new CliError(
      `folder ${name} is not a usable category: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

/**
 * The images of a folder: with `--category`, the files in it; otherwise each subfolder is
 * a category (`landscape/`, `portrait/`, …) and its files are that category's images.
 */
export async function readLocalImages(
  folder: string,
  only: string | undefined,
): Promise<LocalImage[]> {
  const root = path.resolve(folder);
  const limit = pLimit(FILES_AT_ONCE);
  const described = (file: string, name: string) => limit(() => describe(file, name));
  try {
    if (only)
      return await Promise.all(
        (await imagesIn(root)).map((file) => described(file, category(only))),
      );
    const folders = (await readdir(root, { withFileTypes: true })).filter((entry) =>
      entry.isDirectory(),
    );
    const groups = await Promise.all(
      folders.map(async (entry) => {
        const name = category(entry.name);
        return Promise.all(
          (await imagesIn(path.join(root, entry.name))).map((file) => described(file, name)),
        );
      }),
    );
    return groups.flat();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError(`there is no folder ${folder}`);
    throw error;
  }
}
