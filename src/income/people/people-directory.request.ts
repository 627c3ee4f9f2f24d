import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ConsistentQuery } from './people-query.request.js';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : value;

export const PEOPLE_PAGE_MAX = 200;

export class PeopleListQuery extends ConsistentQuery {
  @ApiProperty({ required: false, description: 'Part of a person id or name (ASCII letters in either case)' })
  @IsOptional()
  @IsString()
  @Matches(/^\P{Cc}{1,64}$/u, { message: 'search must be 1 to 64 printable characters' })
  search?: string;

  @ApiProperty({ required: false, description: `People per page, 1 to ${PEOPLE_PAGE_MAX}`, default: 50 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(PEOPLE_PAGE_MAX)
  limit?: number;

  @ApiProperty({ required: false, description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,88}$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;
}
