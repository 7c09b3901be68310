namespace Studio.Web.Api;

/// <summary>
/// Caps API request bodies at <see cref="StudioOptions.MaxRequestBodyBytes"/> on any server (Kestrel has the same limit
/// set; test and other servers may not enforce one): a declared length over it, or a streamed body that grows past it,
/// is a <see cref="BadHttpRequestException"/> with 413, which <see cref="BadRequestExceptionHandler"/> answers as
/// problem details — before a handler buffers megabytes of it. A multipart body (a job with its code) may be as large as
/// <c>multipartLimit</c> (the code snapshot limit plus the body limit).
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, long limit, long multipartLimit)
{
    public Task InvokeAsync(HttpContext context)
    {
        // A job submitted with its code (multipart: the job and a zip) may be as large as a code snapshot.
        var multipart = context.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        var max = multipart ? multipartLimit : limit;
        if (context.Request.ContentLength is { } length && length > max)
        {
            throw TooLarge(max);
        }

        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature && (multipart || feature.MaxRequestBodySize is null || feature.MaxRequestBodySize > max))
        {
            feature.MaxRequestBodySize = max;
        }

        if (context.Request.ContentLength is null && context.Request.Body.CanRead)
        {
            context.Request.Body = new LimitedStream(context.Request.Body, max);
        }

        return next(context);
    }

    internal static BadHttpRequestException TooLarge(long limit) =>
        new($"The request body is larger than the server's limit of {limit / 1024} KiB (Studio:MaxRequestBodyBytes).", StatusCodes.Status413PayloadTooLarge);

    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw TooLarge(limit) : read;
        }
    }
}
