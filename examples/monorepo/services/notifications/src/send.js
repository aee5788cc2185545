exports.handler = async (event) => ({ sent: event.Records.length });
