import { ApiProperty } from '@nestjs/swagger';
import { IsAmount, IsCurrencyCode, IsLedgerId } from '../../../http/validators.js';

export class RecordPayoutRequest {
  @ApiProperty({ example: 'ana' })
  @IsLedgerId()
  personId!: string;

  @ApiProperty({ description: 'The payable, exactly', example: '21.75' })
  @IsAmount('currency')
  amount!: string;

  @ApiProperty({ example: 'USD' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ description: "The payment provider's reference", example: 'PP-7781' })
  @IsLedgerId()
  providerReference!: string;

  @ApiProperty({ example: 'ops-jane' })
  @IsLedgerId()
  operator!: string;
}
