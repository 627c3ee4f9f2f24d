import { Controller, Get, Headers } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { IncomingHttpHeaders } from 'node:http';
import { Access } from './access.decorator.js';
import { AccessDeniedError } from './access-denied.error.js';
import { credentialOf, KeyRing } from './key-ring.js';

export class KeyScopesDto {
  @ApiProperty() write!: boolean;
  @ApiProperty() admin!: boolean;
  @ApiProperty({ description: 'every person', enum: ['all', 'none', 'some'] }) read!: 'all' | 'none' | 'some';
  @ApiProperty({ type: [String], description: 'the people a read=<person> key may read' }) people!: string[];
}

export class WhoAmIAnswer {
  @ApiProperty({ description: 'false when no API keys are configured (loopback only): anyone may do anything' })
  accessControl!: boolean;
  @ApiProperty({ type: String, nullable: true, description: "the key's name; null with access control off" })
  key!: string | null;
  @ApiProperty({ type: KeyScopesDto }) scopes!: KeyScopesDto;
}

const EVERYTHING: KeyScopesDto = { write: true, admin: true, read: 'all', people: [] };

/** What the presented key may do, so a client (the console) shows only what it allows. Never the secret. */
@ApiTags('access')
@Controller('access')
export class WhoAmIController {
  constructor(private readonly keyRing: KeyRing) {}

  @Get('me')
  @Access('any-key')
  @ApiOperation({ summary: "The presented API key's name and scopes (401 for none or an unknown one)" })
  @ApiOkResponse({ type: WhoAmIAnswer })
  me(@Headers() headers: IncomingHttpHeaders): WhoAmIAnswer {
    if (!this.keyRing.enabled) return { accessControl: false, key: null, scopes: EVERYTHING };
    // The guard has let only a valid key through.
    const credential = credentialOf(headers);
    const key = credential.kind === 'secret' ? this.keyRing.identify(credential.secret) : null;
    if (key === null) throw new AccessDeniedError('UNAUTHENTICATED', 'the API key is not valid');
    const { write, admin, read } = key.scopes;
    const scopes: KeyScopesDto =
      read === 'all' || read === 'none'
        ? { write, admin, read, people: [] }
        : { write, admin, read: 'some', people: [...read].sort() };
    return { accessControl: true, key: key.name, scopes };
  }
}
