import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsDefined, IsOptional, ValidateBy } from 'class-validator';
import { isPosition } from '../../event-store/event-store.port.js';
import { IsInstantWithOffset } from '../../http/validators.js';
import { parseInstant } from '../../shared/time.js';
import { ConsistentQuery } from '../people/people-query.request.js';

export class StatementQuery extends ConsistentQuery {
  @ApiProperty({ description: 'Start of the period, business time, inclusive', example: '2025-01-01T00:00:00Z' })
  @IsDefined({ message: 'from is required: the start of the period' })
  @IsInstantWithOffset()
  from!: string;

  @ApiProperty({ description: 'End of the period, business time, exclusive', example: '2025-02-01T00:00:00Z' })
  @IsDefined({ message: 'to is required: the end of the period' })
  @IsInstantWithOffset()
  to!: string;

  @ApiProperty({
    required: false,
    description:
      'Knowledge time: a global position (digits) or a recorded time (ISO 8601 with offset). The statement as the ledger knew it then.',
    example: '42',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isKnowledgePoint',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && (isPosition(value) || parseInstant(value) !== null),
      defaultMessage: () => 'asOf must be a global position (digits) or an ISO 8601 date-time with an offset',
    },
  })
  asOf?: string;

  @ApiProperty({
    required: false,
    enum: ['now'],
    description: "With asOf: compare with today's version of the same period",
  })
  @IsOptional()
  @Equals('now', { message: 'compareWith must be now' })
  compareWith?: 'now';
}
