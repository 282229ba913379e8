using System.Net;
using System.Net.Http.Headers;

namespace TicketHub.Intake.Tests.Support;

/// <summary>A body sent without <c>Content-Length</c>, as a client streaming it would.</summary>
internal sealed class UnknownLengthContent : HttpContent
{
    private readonly byte[] _body;

    public UnknownLengthContent(byte[] body, string mediaType)
    {
        _body = body;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_body).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
