import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsInstantWithOffset, IsLedgerId } from '../../http/validators.js';

export class RecruitRepRequest {
  @ApiProperty({ example: 'ana' })
  @IsLedgerId()
  repId!: string;

  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    description: 'Omit or null for a root rep or an affiliate',
    example: null,
  })
  @IsOptional()
  @IsLedgerId()
  sponsorId?: string | null;

  @ApiProperty({ example: 'Ana Duarte', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '2025-01-15T09:00:00Z' })
  @IsInstantWithOffset()
  recruitedAt!: string;
}
