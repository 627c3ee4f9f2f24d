import { ApiProperty } from '@nestjs/swagger';
import { IsLedgerId } from '../../../http/validators.js';

export class ClosePeriodRequest {
  @ApiProperty({ description: 'Who closes the period (recorded in the event)', example: 'ops-jane' })
  @IsLedgerId()
  operator!: string;
}
