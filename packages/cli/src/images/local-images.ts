import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ImageCategory } from '@wp-edge/core';
import { imageSize } from 'image-size';
import { CliError } from '../errors.ts';

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

async function describe(file: string, category: string): Promise<LocalImage> {
  const bytes = await readFile(file);
  let size: { width?: number; height?: number; orientation?: number };
  try {
    size = imageSize(bytes);
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
    sha256: createHash('sha256').update(bytes).digest('hex'),
    width: turned ? size.height : size.width,
    height: turned ? size.width : size.height,
    size: bytes.length,
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
  try {
    if (only)
      return await Promise.all(
        (await imagesIn(root)).map((file) => describe(file, category(only))),
      );
    const folders = (await readdir(root, { withFileTypes: true })).filter((entry) =>
      entry.isDirectory(),
    );
    const groups = await Promise.all(
      folders.map(async (entry) => {
        const name = category(entry.name);
        return Promise.all(
          (await imagesIn(path.join(root, entry.name))).map((file) => describe(file, name)),
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
