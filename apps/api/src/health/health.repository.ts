import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The health probe's one statement, on the API's own pool (so with its connect and query bounds). */
@Injectable()
export class HealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
