import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsAmount, IsCurrencyCode, IsInstantWithOffset, IsLedgerId } from '../../http/validators.js';

export class RefundSaleRequest {
  @ApiProperty({ description: 'Unique within the sale; a retry with the same id is idempotent', example: 'RF-1' })
  @IsLedgerId()
  refundId!: string;

  @ApiProperty({ description: 'All or part of what is left to refund', example: '20.00' })
  @IsAmount('currency')
  amount!: string;

  @ApiProperty({ description: "The sale's currency", example: 'USD' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ example: 'customer returned the goods', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;

  @ApiProperty({ example: '2025-03-10T12:00:00Z' })
  @IsInstantWithOffset()
  refundedAt!: string;
}
