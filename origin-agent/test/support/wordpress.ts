import { execFile } from 'node:child_process';
import path from 'node:path';
import type { StoredComment } from '@wp-edge/core';
import mysql from 'mysql2/promise';

const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

export interface TestWordPress {
  database: {
    host: string;
    port: number;
    user: string;
    password: string;
    name: string;
    tablePrefix: string;
  };
  /** The posts published on top of WordPress's own "Hello world!" (post 1). */
  postIds: number[];
  admin: mysql.Connection;
  /** WordPress's own `get_permalink()` of each post, by id. */
  permalinks(postIds: number[]): Promise<Record<string, string>>;
  /** The front page, the site's feeds, and each post's page and comments feed, as WordPress links them. */
  pageLinks(postIds: number[]): Promise<PageLinks>;
  /** Edits a post through WordPress's own `wp_update_post()`, or trashes it with `wp_trash_post()`. */
  editPost(postId: number, fields: Record<string, string> | 'trash'): Promise<void>;
  /** Posts each comment through WordPress's own `wp_handle_comment_submission()`, in one PHP process. */
  wordpressStores(comments: PostedComment[]): Promise<WordPressOutcome[]>;
  /** Publishes a post with an attached image through WordPress's own functions, into `contentDir`. */
  publishPost(
    title: string,
    imageName: string,
    contentDir: string,
  ): Promise<{ postId: number; attachmentId: number; file: string }>;
  /** The owner's verdict on a comment through WordPress's own `wp_set_comment_status()`. */
  setCommentStatus(commentId: number, status: 'approve' | 'hold' | 'spam' | 'trash'): Promise<void>;
  drop(): Promise<void>;
}

/** What WordPress links a site's pages at (`wp-page-links.php`). */
export interface PageLinks {
  front: string;
  feeds: string[];
  posts: Record<string, { page: string; commentsFeed: string; shortlink: string }>;
}

/** A comment as a reader posts it, with the request's user agent and address: the fields WordPress stores. */
export type PostedComment = StoredComment;

/** What WordPress did with a posted comment: the row it stored, or its refusal's code. */
export type WordPressOutcome = { stored: StoredComment } | { error: string };

function php(script: string, env: Record<string, string>, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'php',
      [script],
      { env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `WordPress install failed (is php-cli, php-mysql and Debian's wordpress installed?): ${stderr || error.message}`,
            ),
          );
        else resolve(stdout);
      },
    );
    child.stdin?.end(input ?? '');
  });
}

/**
 * A database of its own on the local MariaDB with a schema made by WordPress's installer,
 * for one test file; `drop()` removes it.
 */
export async function createTestWordPress(
  options: { tablePrefix?: string; posts?: number } = {},
): Promise<TestWordPress> {
  const admin = await mysql.createConnection(MARIADB).catch((error: Error) => {
    throw new Error(
      `MariaDB is needed on 127.0.0.1:3306 (root, no password) for the agent tests: ${error.message}`,
    );
  });
  const name = `wpedge_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const tablePrefix = options.tablePrefix ?? 'wp_';
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const wpEnv = {
    DB_NAME: name,
    DB_USER: MARIADB.user,
    DB_PASSWORD: MARIADB.password,
    DB_HOST: MARIADB.host,
    TABLE_PREFIX: tablePrefix,
  };
  const output = await php(path.join(import.meta.dirname, 'wp-install.php'), {
    ...wpEnv,
    EXTRA_POSTS: String(options.posts ?? 0),
  });
  const postIds = JSON.parse(output.slice(output.lastIndexOf('['))) as number[];
  return {
    database: { ...MARIADB, name, tablePrefix },
    postIds,
    admin,
    async permalinks(ids) {
      const printed = await php(path.join(import.meta.dirname, 'wp-permalinks.php'), {
        ...wpEnv,
        POST_IDS: ids.join(','),
      });
      return JSON.parse(printed.slice(printed.indexOf('{'))) as Record<string, string>;
    },
    async pageLinks(ids) {
      const printed = await php(path.join(import.meta.dirname, 'wp-page-links.php'), {
        ...wpEnv,
        POST_IDS: ids.join(','),
      });
      return JSON.parse(printed.slice(printed.indexOf('{'))) as PageLinks;
    },
    async editPost(id, fields) {
      await php(path.join(import.meta.dirname, 'wp-edit-post.php'), {
        ...wpEnv,
        POST_ID: String(id),
        POST_FIELDS: fields === 'trash' ? fields : JSON.stringify(fields),
      });
    },
    async wordpressStores(posted) {
      const printed = await php(
        path.join(import.meta.dirname, 'wp-comment-filters.php'),
        wpEnv,
        JSON.stringify(posted),
      );
      return JSON.parse(printed.slice(printed.indexOf('['))) as WordPressOutcome[];
    },
    async publishPost(title, imageName, contentDir) {
      const printed = await php(path.join(import.meta.dirname, 'wp-publish-post.php'), {
        ...wpEnv,
        POST_TITLE: title,
        IMAGE_NAME: imageName,
        WP_CONTENT_DIR: contentDir,
      });
      return JSON.parse(printed.slice(printed.indexOf('{')));
    },
    async setCommentStatus(commentId, status) {
      await php(path.join(import.meta.dirname, 'wp-comment-status.php'), {
        ...wpEnv,
        COMMENT_ID: String(commentId),
        COMMENT_STATUS: status,
      });
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
