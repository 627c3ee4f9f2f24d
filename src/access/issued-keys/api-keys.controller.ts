import { Body, Controller, Get, Param, Post, Res, type PipeTransform } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandCtx } from '../../http/command-context.decorator.js';
import { ApiProblems } from '../../http/openapi.js';
import { RequestInvalidError } from '../../http/problem.js';
import type { CommandContext } from '../../income/ledger-streams.js';
import { Access } from '../access.decorator.js';
import { describeScopes, isKeyName, parseScopes, type Scopes } from '../api-keys.js';
import { Caller } from '../caller.decorator.js';
import { KeyRing, type ApiKey } from '../key-ring.js';
import type { IssuedKey } from './api-key.decider.js';
import { IssueApiKeyRequest } from './issue-api-key.request.js';
import { IssuedKeys } from './issued-keys.js';

export class ApiKeyAnswer {
  @ApiProperty({ example: 'rep-ana' }) name!: string;
  @ApiProperty({ example: 'read=ana' }) scopes!: string;
  @ApiProperty({ enum: ['configuration', 'api'], description: 'configuration keys cannot be revoked here' })
  source!: 'configuration' | 'api';
  @ApiProperty({ nullable: true, type: String, description: 'the admin key that issued it' }) issuedBy!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-03-01T09:30:00.000Z' }) issuedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}

export class IssuedKeyAnswer extends ApiKeyAnswer {
  @ApiProperty({ description: 'the secret, shown this once: only its sha256 digest is stored' }) secret!: string;
}

export class ApiKeyListAnswer {
  @ApiProperty({ type: [ApiKeyAnswer], description: 'configured keys first, then issued ones' })
  keys!: ApiKeyAnswer[];
}

/** A key name in the path: as the API issues them, else 400 INVALID_PARAMETER. */
class ParseKeyNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (isKeyName(value)) return value;
    throw new RequestInvalidError('INVALID_PARAMETER', 'not a key name', [
      { field: 'name', problems: ['must be 1 to 64 of A-Z a-z 0-9 . _ -, and not . or ..'] },
    ]);
  }
}

const answerOf = (key: IssuedKey): ApiKeyAnswer => ({
  name: key.name,
  scopes: key.scopes,
  source: 'api',
  issuedBy: key.issuedBy,
  issuedAt: key.issuedAt,
  revokedBy: key.revokedBy,
  revokedAt: key.revokedAt,
});

const configuredAnswerOf = (key: ApiKey): ApiKeyAnswer => ({
  name: key.name,
  scopes: describeScopes(key.scopes),
  source: 'configuration',
  issuedBy: null,
  issuedAt: null,
  revokedBy: null,
  revokedAt: null,
});

@ApiTags('access')
@Access('admin')
@Controller('access/keys')
export class ApiKeysController {
  constructor(
    private readonly issued: IssuedKeys,
    private readonly ring: KeyRing,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Issue an API key (ApiKeyIssued): its secret is in this answer and nowhere else' })
  @ApiResponse({ status: 201, type: IssuedKeyAnswer })
  @ApiProblems(
    'API_KEY_NAME_TAKEN',
    'ACCESS_CONTROL_OFF',
    'API_KEYS_LIMIT_REACHED',
    'CONCURRENCY_CONFLICT',
    'STORE_UNAVAILABLE',
  )
  async issue(
    @Body() body: IssueApiKeyRequest,
    @Caller() caller: ApiKey | null,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuedKeyAnswer> {
    const scopes = parseScopes(body.scopes) as Scopes; // the request validated them
    const { key, secret } = await this.issued.issue(body.name, scopes, caller, context.correlationId);
    void reply.status(201).header('cache-control', 'no-store').header('location', `/access/keys/${key.name}`);
    return { ...answerOf(key), secret };
  }

  @Get()
  @ApiOperation({ summary: 'Every key: from configuration, and issued (revoked ones too); never a secret or digest' })
  @ApiResponse({ status: 200, type: ApiKeyListAnswer })
  @ApiProblems('STORE_UNAVAILABLE')
  async list(): Promise<ApiKeyListAnswer> {
    const issued = await this.issued.list();
    return { keys: [...this.ring.configuredKeys.map(configuredAnswerOf), ...issued.map(answerOf)] };
  }

  @Post(':name/revocation')
  @ApiOperation({ summary: 'Revoke an issued key (ApiKeyRevoked): the next request with it is 401' })
  @ApiResponse({ status: 201, type: ApiKeyAnswer })
  @ApiResponse({ status: 200, type: ApiKeyAnswer, description: 'already revoked; nothing written' })
  @ApiProblems(
    'INVALID_PARAMETER',
    'API_KEY_UNKNOWN',
    'API_KEY_CONFIGURED',
    'ACCESS_CONTROL_OFF',
    'CONCURRENCY_CONFLICT',
    'STORE_UNAVAILABLE',
  )
  async revoke(
    @Param('name', ParseKeyNamePipe) name: string,
    @Caller() caller: ApiKey | null,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ApiKeyAnswer> {
    const { key, created } = await this.issued.revoke(name, caller, context.correlationId);
    void reply.status(created ? 201 : 200);
    return answerOf(key);
  }
}
