import { ApiError } from '../api/client';

/** The text to show for a failed call: the gateway's own message when it sent one. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.status && error.status !== 200
      ? `${error.message} (HTTP ${error.status})`
      : error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}
