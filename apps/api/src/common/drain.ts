import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from 'node:http';

/**
 * Graceful shutdown of the HTTP side (issue 8, finding 9). Once draining, the server
 * accepts no new connection, closes idle keep-alive connections, and answers every
 * request still arriving on an open connection with `Connection: close`, so each
 * client's connection ends after the response it is waiting for. Connections still
 * busy after the bound are cut, so shutdown always completes in bounded time.
 * `/api/health/ready` answers 503 from the moment the drain starts (issue 14).
 */
@Injectable()
export class Drain {
  private draining = false;

  get active(): boolean {
    return this.draining;
  }

  /** Fastify `onRequest` hook: keep-alive ends with the next response while draining. */
  readonly onRequest = async (_request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (this.draining) void reply.header('connection', 'close');
  };

  /**
   * Readiness red, keep-alive ends with each response, but the server still accepts: a
   * balancer that polls readiness stops routing here before {@link run} stops listening
   * (SHUTDOWN_DELAY_SECONDS in main.ts), so no request meets a closed port.
   */
  begin(): void {
    this.draining = true;
  }

  /** Resolves once every connection is closed; `forced` when the bound had to cut some. */
  run(server: Server, boundMs: number): Promise<{ forced: boolean }> {
    this.begin();
    return new Promise((resolve) => {
      if (!server.listening) return resolve({ forced: false });
      const timer = setTimeout(() => {
        server.closeAllConnections();
        resolve({ forced: true });
      }, boundMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve({ forced: false });
      });
      server.closeIdleConnections();
    });
  }
}
