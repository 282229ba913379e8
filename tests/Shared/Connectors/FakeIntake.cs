using System.Security.Cryptography;
using TicketHub.Contracts;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TicketHub.Testing;

/// <summary>
/// Intake's attachment download, through the gateway, played by WireMock:
/// <c>GET /api/v1/tickets/{ticketId}/attachments/{attachmentId}</c> with the connector's
/// <c>X-Api-Key</c> answers the bytes; without the key, 401, as the gateway does.
/// </summary>
internal sealed class FakeIntake : IDisposable
{
    /// <summary>The connector's key in tests: long and recognisable, so that a log holding it is caught.</summary>
    public const string ApiKey = "th_test_infogerant_key_7f3c9a51d2e84b06";

    public FakeIntake() => RefusesCallsWithoutTheKey();

    public WireMockServer Server { get; } = WireMockServer.Start();

    public string Url => Server.Url!;

    /// <summary>The <c>Intake</c> settings of a connector that reads its files here.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Intake:BaseUrl"] = Url,
        ["Intake:ApiKey"] = ApiKey,
        ["Intake:Timeout"] = "00:00:05",
    };

    public void Reset()
    {
        Server.Reset();
        RefusesCallsWithoutTheKey();
    }

    /// <summary>Serves <paramref name="content"/> for the ticket; the reference the ticket carries for it.</summary>
    public AttachmentRef Serves(Guid ticketId, string fileName, string contentType, byte[] content, Guid? attachmentId = null)
    {
        var attachment = Describe(fileName, contentType, content, attachmentId);
        Server.Given(Download(ticketId, attachment.Id).WithHeader("X-Api-Key", ApiKey))
            .RespondWith(File(content, contentType));
        return attachment;
    }

    /// <summary>
    /// The first download answers <paramref name="wrong"/> (a file damaged on the way), the next ones
    /// the right <paramref name="content"/>; the reference describes the right one.
    /// </summary>
    public AttachmentRef ServesDamagedThenRight(Guid ticketId, string fileName, string contentType, byte[] content, byte[] wrong)
    {
        var attachment = Describe(fileName, contentType, content, null);
        var scenario = $"damaged {attachment.Id}";
        Server.Given(Download(ticketId, attachment.Id).WithHeader("X-Api-Key", ApiKey)).InScenario(scenario).WillSetStateTo("served once")
            .RespondWith(File(wrong, contentType));
        Server.Given(Download(ticketId, attachment.Id).WithHeader("X-Api-Key", ApiKey)).InScenario(scenario).WhenStateIs("served once")
            .RespondWith(File(content, contentType));
        return attachment;
    }

    /// <summary>The first download is refused (<paramref name="status"/>), the next ones serve the file.</summary>
    public AttachmentRef RefusesThenServes(Guid ticketId, int status, string fileName, string contentType, byte[] content)
    {
        var attachment = Describe(fileName, contentType, content, null);
        var scenario = $"refused {attachment.Id}";
        Server.Given(Download(ticketId, attachment.Id)).InScenario(scenario).WillSetStateTo("refused once")
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/problem+json")
                .WithBody("""{"title":"Accès refusé","status":403}"""));
        Server.Given(Download(ticketId, attachment.Id).WithHeader("X-Api-Key", ApiKey)).InScenario(scenario).WhenStateIs("refused once")
            .RespondWith(File(content, contentType));
        return attachment;
    }

    /// <summary>A file intake does not have: 404.</summary>
    public AttachmentRef Lacks(Guid ticketId, string fileName, string contentType, byte[] content)
    {
        var attachment = Describe(fileName, contentType, content, null);
        Server.Given(Download(ticketId, attachment.Id)).RespondWith(Response.Create().WithStatusCode(404));
        return attachment;
    }

    /// <summary>The downloads of the file that reached intake.</summary>
    public IReadOnlyList<ILogEntry> Downloads(Guid ticketId, Guid attachmentId) =>
        [.. Server.LogEntries.Where(entry => entry.RequestMessage.Method == "GET" && entry.RequestMessage.Path == PathOf(ticketId, attachmentId))];

    public static string? Header(ILogEntry entry, string name) =>
        entry.RequestMessage.Headers?.FirstOrDefault(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>Bytes that look like a JPEG, different for each <paramref name="seed"/>.</summary>
    public static byte[] Jpeg(int seed, int length = 2048)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }

    public static AttachmentRef Describe(string fileName, string contentType, byte[] content, Guid? attachmentId) =>
        new(attachmentId ?? Guid.NewGuid(), fileName, contentType, content.LongLength, Convert.ToHexStringLower(SHA256.HashData(content)));

    public void Dispose() => Server.Dispose();

    private void RefusesCallsWithoutTheKey() =>
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/api/v1/tickets/*")).UsingAnyMethod()).AtPriority(1000)
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/problem+json")
                .WithBody("""{"title":"Authentification requise","status":401}"""));

    private static IRequestBuilder Download(Guid ticketId, Guid attachmentId) =>
        Request.Create().WithPath(PathOf(ticketId, attachmentId)).UsingGet();

    private static string PathOf(Guid ticketId, Guid attachmentId) => $"/api/v1/tickets/{ticketId:D}/attachments/{attachmentId:D}";

    private static IResponseBuilder File(byte[] content, string contentType) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", contentType).WithBody(content);
}
