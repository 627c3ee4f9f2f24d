import { ApiProperty } from '@nestjs/swagger';
import { IsAmount, IsCurrencyCode, IsInstantWithOffset, IsLedgerId } from '../../http/validators.js';

export class ConvertClickRequest {
  @ApiProperty({ example: 'CLK-5' })
  @IsLedgerId()
  clickId!: string;

  @ApiProperty({ description: 'A person registered with POST /reps', example: 'ana' })
  @IsLedgerId()
  affiliateId!: string;

  @ApiProperty({ example: 'O-31' })
  @IsLedgerId()
  orderId!: string;

  @ApiProperty({ example: '49.99' })
  @IsAmount('currency')
  amount!: string;

  @ApiProperty({ example: 'EUR' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ example: '2025-02-10T18:00:00Z' })
  @IsInstantWithOffset()
  convertedAt!: string;
}
