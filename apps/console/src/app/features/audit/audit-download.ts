import { HttpErrorResponse, type HttpHeaders } from '@angular/common/http';

/** The file name the API chose (`Content-Disposition: attachment; filename="…"`), or `fallback`. */
export function attachmentName(headers: HttpHeaders, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(headers.get('content-disposition') ?? '');
  return match?.[1] ?? fallback;
}

/** Hands a downloaded body to the browser as a file save. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url));
}

/**
 * A refusal of a blob request carries its problem+json as a Blob; reads it back into
 * an error `problemOf` understands, so the owner sees the API's own sentence.
 */
export async function withTextBody(error: unknown): Promise<unknown> {
  if (error instanceof HttpErrorResponse && error.error instanceof Blob) {
    const text = await error.error.text();
    return new HttpErrorResponse({
      error: text,
      headers: error.headers,
      status: error.status,
      statusText: error.statusText,
      url: error.url ?? undefined,
    });
  }
  return error;
}
