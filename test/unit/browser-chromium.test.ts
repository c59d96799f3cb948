import { chromiumPath } from '../browser/chromium';

test('issue 9 point 1: without a Chromium the browser suite fails and says how to get one', () => {
  const saved = process.env.PENDOFLOW_CHROMIUM;
  process.env.PENDOFLOW_CHROMIUM = '/nonexistent/chromium';
  try {
    expect(() => chromiumPath()).toThrow(
      /PENDOFLOW_CHROMIUM=\/nonexistent\/chromium does not exist.*apt-get install -y chromium/s,
    );
  } finally {
    if (saved === undefined) delete process.env.PENDOFLOW_CHROMIUM;
    else process.env.PENDOFLOW_CHROMIUM = saved;
  }
});
