using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Contracts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// The client that reads a ticket's files from intake (WireMock here), wired as GLPI's and iTop's
/// connectors wire it (<c>AddAttachmentDocuments</c>): the key, the checks, the retries, the refusals.
/// </summary>
public sealed class AttachmentSourceTests
{
    private FakeIntake _intake = null!;
    private ServiceProvider _services = null!;
    private CapturedLogs _logs = null!;

    private AttachmentSource Source => _services.GetRequiredService<AttachmentSource>();

    [SetUp]
    public void SetUp()
    {
        _intake = new FakeIntake();
        _logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(_intake.Settings()).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        services.AddAttachmentDocuments<NoTool>();
        _services = services.BuildServiceProvider();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _services.DisposeAsync();
        _intake.Dispose();
        _logs.Dispose();
    }

    [Test]
    public async Task Reads_the_file_with_the_connector_key_and_returns_it_when_size_and_hash_match()
    {
        var ticketId = Guid.NewGuid();
        var photo = FakeIntake.Jpeg(1);
        var attachment = _intake.Serves(ticketId, "photo.jpg", "image/jpeg", photo);

        var content = await Source.DownloadAsync(ticketId, attachment, CancellationToken.None);

        Assert.That(content, Is.EqualTo(photo));
        var download = _intake.Downloads(ticketId, attachment.Id).Single();
        Assert.That(FakeIntake.Header(download, "X-Api-Key"), Is.EqualTo(FakeIntake.ApiKey));
        Assert.That(download.RequestMessage.Path, Is.EqualTo($"/api/v1/tickets/{ticketId:D}/attachments/{attachment.Id:D}"));
    }

    [Test]
    public async Task Answers_nothing_for_a_file_intake_does_not_have()
    {
        var ticketId = Guid.NewGuid();
        var attachment = _intake.Lacks(ticketId, "perdu.jpg", "image/jpeg", FakeIntake.Jpeg(1));

        Assert.That(await Source.DownloadAsync(ticketId, attachment, CancellationToken.None), Is.Null);
    }

    [TestCase(1, TestName = "Refuses_a_content_whose_hash_does_not_match")]
    [TestCase(0, TestName = "Refuses_a_content_whose_size_does_not_match")]
    public async Task Refuses_a_content_that_is_not_the_file_announced(int changed)
    {
        var ticketId = Guid.NewGuid();
        var photo = FakeIntake.Jpeg(1);
        var served = changed == 1 ? photo.Select((b, i) => i == 10 ? (byte)(b ^ 1) : b).ToArray() : photo[..2000];
        var attachment = _intake.Serves(ticketId, "photo.jpg", "image/jpeg", served) with
        {
            Size = photo.Length,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(photo)),
        };

        var error = await Assert.ThrowsAsync<AttachmentUnavailableException>(() => Source.DownloadAsync(ticketId, attachment, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("is not the file announced").And.Contain($"expected 2048 bytes, {attachment.Sha256}"));
    }

    [Test]
    public async Task Fails_when_intake_refuses_the_key_saying_what_to_check_without_the_key()
    {
        var ticketId = Guid.NewGuid();
        var attachment = FakeIntake.Describe("photo.jpg", "image/jpeg", FakeIntake.Jpeg(1), null);
        _intake.Server.Given(Request.Create().WithPath($"/api/v1/tickets/{ticketId:D}/attachments/{attachment.Id:D}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403));

        var error = await Assert.ThrowsAsync<AttachmentUnavailableException>(() => Source.DownloadAsync(ticketId, attachment, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("Intake answered HTTP 403").And.Contain("check Intake:ApiKey"));
        Assert.That(error.ToString(), Does.Not.Contain(FakeIntake.ApiKey));
        Assert.That(_intake.Downloads(ticketId, attachment.Id), Has.Count.EqualTo(1), "a refusal is not a transient failure of the HTTP pipeline");
        Assert.That(_logs.Lines, Has.Some.Contains("X-Api-Key"));
        Assert.That(_logs.Lines.Where(line => line.Contains(FakeIntake.ApiKey, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task Retries_a_download_that_failed_for_a_moment()
    {
        var ticketId = Guid.NewGuid();
        var photo = FakeIntake.Jpeg(1);
        var attachment = FakeIntake.Describe("photo.jpg", "image/jpeg", photo, null);
        var path = $"/api/v1/tickets/{ticketId:D}/attachments/{attachment.Id:D}";
        _intake.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario("busy").WillSetStateTo("answered once")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "0"));
        _intake.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario("busy").WhenStateIs("answered once")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(photo));

        var content = await Source.DownloadAsync(ticketId, attachment, CancellationToken.None);

        Assert.That(content, Is.EqualTo(photo));
        Assert.That(_intake.Downloads(ticketId, attachment.Id), Has.Count.EqualTo(2));
    }

    [TestCase("Intake:BaseUrl", "Intake:BaseUrl is required and must be an absolute http(s) URL")]
    [TestCase("Intake:ApiKey", "Intake:ApiKey is required: set the environment variable Intake__ApiKey (an API key of role infogerant).")]
    public async Task A_connector_that_sends_files_refuses_to_start_without_intake_naming_the_key(string key, string expected)
    {
        var settings = _intake.Settings();
        settings[key] = "";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddAttachmentDocuments<NoTool>();
        using var host = builder.Build();

        var error = await Assert.CatchAsync(() => host.StartAsync());

        // The host may gather the same validation failure from more than one validator run.
        var failures = (error is AggregateException many ? many.InnerExceptions : [error!])
            .Select(exception => exception as OptionsValidationException)
            .ToList();
        Assert.That(failures, Is.Not.Empty.And.All.Not.Null, error!.ToString());
        Assert.That(failures.SelectMany(failure => failure!.Failures).Distinct(), Has.Exactly(1).StartsWith(expected).And.Exactly(1).Items);
    }

    /// <summary>A tool that holds no file: these tests read from intake only.</summary>
    private sealed class NoTool : IDocumentTool
    {
        public string Tool => "aucun";

        public string DisplayName => "aucun";

        public Task<string?> FindAsync(DocumentTarget target, AttachmentRef attachment, IReadOnlySet<string> claimed, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(null);

        public Task<DocumentOutcome> AddAsync(DocumentTarget target, AttachmentRef attachment, byte[] content, CancellationToken cancellationToken) =>
            Task.FromResult<DocumentOutcome>(new DocumentOutcome.Refused("aucun outil", "aucun outil"));
    }
}
