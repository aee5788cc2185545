def handler(event, context):
    return {"thumbnails": len(event.get("Records", []))}
