import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { IncomingHttpHeaders } from 'node:http';
import { IsString, Matches } from 'class-validator';
import { RequestInvalidError } from '../../http/problem.js';
import { Access } from '../access.decorator.js';
import { KEY_NAME_PATTERN, parseScopes } from '../api-keys.js';
import { KeyRing, credentialOf } from '../key-ring.js';
import { IssuedKeysService } from './issued-keys.service.js';
import type { IssuedKey } from './issued-keys.js';

export class IssueKeyRequest {
  @ApiProperty({ example: 'rep-ana', description: '1 to 64 of A-Z a-z 0-9 . _ -; never used before' })
  @IsString()
  @Matches(KEY_NAME_PATTERN, { message: 'name must be 1 to 64 of A-Z a-z 0-9 . _ -' })
  name!: string;

  @ApiProperty({ example: 'read=ana', description: 'write, read, read=<personId>, admin, joined with +' })
  @IsString()
  scopes!: string;
}

export class IssuedKeyDto {
  @ApiProperty() name!: string;
  @ApiProperty() scopes!: string;
  @ApiProperty({ enum: ['configuration', 'issued'] }) source!: 'configuration' | 'issued';
  @ApiProperty({ type: String, nullable: true }) issuedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) issuedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedAt!: string | null;
}

export class IssuedKeyAnswer extends IssuedKeyDto {
  @ApiProperty({ description: 'the secret, shown this once: it is stored only as a sha256 digest' })
  secret!: string;
  @ApiProperty() position!: string;
}

export class KeysAnswer {
  @ApiProperty({ type: [IssuedKeyDto] }) keys!: IssuedKeyDto[];
}

const view = (key: IssuedKey): IssuedKeyDto => ({
  name: key.name,
  scopes: key.scopes,
  source: 'issued',
  issuedBy: key.issuedBy,
  issuedAt: key.issuedAt,
  revokedBy: key.revokedBy,
  revokedAt: key.revokedAt,
});

/** API keys issued, listed and revoked by an admin, without a restart; their events are the audit trail. */
@ApiTags('access')
@Access('admin')
@Controller('access/keys')
export class ApiKeysController {
  constructor(
    private readonly issued: IssuedKeysService,
    private readonly keyRing: KeyRing,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Issue a key: effective at once, its secret shown once (201)' })
  @ApiResponse({ status: 201, type: IssuedKeyAnswer })
  async issue(@Body() body: IssueKeyRequest, @Headers() headers: IncomingHttpHeaders): Promise<IssuedKeyAnswer> {
    const scopes = parseScopes(body.scopes);
    if (typeof scopes === 'string')
      throw new RequestInvalidError('VALIDATION_FAILED', 'the scopes are not valid', [
        { field: 'scopes', problems: [scopes] },
      ]);
    const { key, secret, position } = await this.issued.issue(body.name, scopes, this.caller(headers));
    return { ...view(key), secret, position };
  }

  @Get()
  @ApiOperation({ summary: 'Every key: from configuration (names and scopes only) and issued (with who and when)' })
  @ApiOkResponse({ type: KeysAnswer })
  async list(): Promise<KeysAnswer> {
    const configured = [...this.keyRing.configuredNames].map((name) => ({
      name,
      scopes: this.keyRing.scopesOf(name) ?? '',
      source: 'configuration' as const,
      issuedBy: null,
      issuedAt: null,
      revokedBy: null,
      revokedAt: null,
    }));
    return { keys: [...configured, ...(await this.issued.list()).map(view)] };
  }

  @Delete(':name')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an issued key: refused at once from the next request' })
  @ApiOkResponse({ type: IssuedKeyDto })
  async revoke(@Param('name') name: string, @Headers() headers: IncomingHttpHeaders): Promise<IssuedKeyDto> {
    if (!KEY_NAME_PATTERN.test(name))
      throw new RequestInvalidError('INVALID_PARAMETER', 'name is not a key name', [
        { field: 'name', problems: ['name must be 1 to 64 of A-Z a-z 0-9 . _ -'] },
      ]);
    return view(await this.issued.revoke(name, this.caller(headers)));
  }

  /** Who is asking, for the audit trail: the guard has let only an admin key through. */
  private caller(headers: IncomingHttpHeaders): string {
    const credential = credentialOf(headers);
    return (credential.kind === 'secret' ? this.keyRing.identify(credential.secret)?.name : undefined) ?? 'unknown';
  }
}
