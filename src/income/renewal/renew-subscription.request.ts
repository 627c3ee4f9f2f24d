import { ApiProperty } from '@nestjs/swagger';
import { IsAmount, IsCurrencyCode, IsInstantWithOffset, IsLedgerId } from '../../http/validators.js';

export class RenewSubscriptionRequest {
  @ApiProperty({ description: 'Unique within the subscription', example: '2025-03' })
  @IsLedgerId()
  renewalId!: string;

  @ApiProperty({ example: '100.00' })
  @IsAmount('currency')
  amount!: string;

  @ApiProperty({ description: "ISO 4217; must be the subscription's currency", example: 'USD' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ example: '2025-03-01T10:00:00Z' })
  @IsInstantWithOffset()
  renewedAt!: string;
}
