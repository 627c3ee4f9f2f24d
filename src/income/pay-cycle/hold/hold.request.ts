import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsLedgerId } from '../../../http/validators.js';

export class SetHoldRequest {
  @ApiProperty({ description: 'Unique; a retry with the same id is idempotent', example: 'H-1' })
  @IsLedgerId()
  holdId!: string;

  @ApiProperty({ example: 'compliance review', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;

  @ApiProperty({ example: 'ops-jane' })
  @IsLedgerId()
  operator!: string;
}

export class LiftHoldRequest {
  @ApiProperty({ enum: ['release', 'forfeit'], description: 'release: pay what it kept; forfeit: never pay it' })
  @IsIn(['release', 'forfeit'])
  outcome!: 'release' | 'forfeit';

  @ApiProperty({ example: 'review passed', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;

  @ApiProperty({ example: 'ops-jane' })
  @IsLedgerId()
  operator!: string;
}
