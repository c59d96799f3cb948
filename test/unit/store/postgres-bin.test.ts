import { postgresBinDir } from '../../../scripts/lib/postgres-server';

test('issue 11: without PostgreSQL binaries the store tests fail and say how to get them', () => {
  const saved = process.env.PENDOFLOW_POSTGRES_BIN;
  process.env.PENDOFLOW_POSTGRES_BIN = '/nonexistent/pg';
  try {
    expect(() => postgresBinDir()).toThrow(/PENDOFLOW_POSTGRES_BIN=\/nonexistent\/pg holds no initdb.*apt-get/s);
  } finally {
    if (saved === undefined) delete process.env.PENDOFLOW_POSTGRES_BIN;
    else process.env.PENDOFLOW_POSTGRES_BIN = saved;
  }
});
