import 'reflect-metadata';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { Numeric } from './field-coercion';

export class ServerConfig {
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(65_535)
  port = 8080;

  @IsString()
  host = '0.0.0.0';

  /** Largest request body accepted, in bytes (413 above). */
  @Numeric()
  @IsInt()
  @Min(1024)
  bodyLimitBytes = 10 * 1024 * 1024;

  /**
   * Time to receive a whole request, headers and body (408 and close past it). Only the
   * request: a long answer or stream is not cut by it.
   */
  @Numeric()
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  requestTimeoutMs = 60_000;

  /** Time to receive a request's headers, and for a new connection to send them (at most requestTimeoutMs). */
  @Numeric()
  @IsInt()
  @Min(100)
  @Max(600_000)
  headersTimeoutMs = 10_000;

  /** An idle keep-alive connection is closed after this; keep it above the proxy's idle timeout. */
  @Numeric()
  @IsInt()
  @Min(100)
  @Max(600_000)
  keepAliveTimeoutMs = 72_000;

  /** Open client connections at most; past it new connections are closed at once. */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxConnections = 10_000;

  /** Proxies (IPs or CIDRs) whose X-Forwarded-For names the client; none by default. */
  @IsArray()
  @IsString({ each: true })
  trustedProxies: string[] = [];

  /** Failed key checks (401) per client address and minute before it gets 429 (per instance). */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(100_000)
  authFailuresPerMinute = 20;

  /** With auth on: `/metrics` needs the admin key or `metricsToken` (`admin`), or none (`public`). */
  @IsIn(['admin', 'public'])
  metricsAccess: 'admin' | 'public' = 'admin';

  /** A read-only bearer token for `/metrics` alone (for Prometheus), besides the admin key. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  metricsToken?: string;
}
