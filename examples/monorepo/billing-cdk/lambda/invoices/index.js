exports.handler = async (event) => ({ rendered: event.invoiceId });
