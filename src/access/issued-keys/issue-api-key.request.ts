import { ApiProperty } from '@nestjs/swagger';
import { IsString, ValidateBy } from 'class-validator';
import { isKeyName, parseScopes } from '../api-keys.js';

/** What is wrong with these scopes, in the words API_KEYS's refusals use. */
function problemOf(value: unknown): string {
  if (typeof value !== 'string') return 'must be a string such as "read=ana" or "write+read"';
  const parsed = parseScopes(value);
  return typeof parsed === 'string' ? parsed : 'valid';
}

export class IssueApiKeyRequest {
  @ApiProperty({ description: '1 to 64 of A-Z a-z 0-9 . _ -, not . or ..; never reused', example: 'rep-ana' })
  @IsString()
  @ValidateBy({
    name: 'isKeyName',
    validator: {
      validate: (value: unknown) => isKeyName(value),
      defaultMessage: () => 'name must be 1 to 64 of A-Z a-z 0-9 . _ -, and not . or ..',
    },
  })
  name!: string;

  @ApiProperty({
    description: 'as in API_KEYS: write, read, read=<personId>, admin, joined with +',
    example: 'read=ana',
  })
  @IsString()
  @ValidateBy({
    name: 'isScopes',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && typeof parseScopes(value) !== 'string',
      defaultMessage: (args) => `scopes: ${problemOf(args?.value)}`,
    },
  })
  scopes!: string;
}
