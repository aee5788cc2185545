export const handler = async (event: { body?: string }) => ({ statusCode: 202, body: event.body ?? '' });
