import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsInstantWithOffset } from '../../http/validators.js';

export class CancelSubscriptionRequest {
  @ApiProperty({ description: 'No renewal dated at or after this is accepted', example: '2025-06-01T00:00:00Z' })
  @IsInstantWithOffset()
  cancelledAt!: string;

  @ApiProperty({ example: 'customer left', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}
