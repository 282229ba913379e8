using Dapper;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>
/// The shared retry policy on a real consumer, host, SQLite database and MassTransit's in-memory
/// transport: immediate retries, then delayed redeliveries through the database, then a dead letter
/// that can be replayed.
/// </summary>
public sealed class RedeliveryTests
{
    private const int Immediate = 2;
    private string _folder = "";
    private IHost _host = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public async Task SetUp()
    {
        FlakyConsumer.Reset();
        _folder = Path.Combine(Path.GetTempPath(), "tickethub-tests", "redelivery-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "TicketHub.Flaky", EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_folder, "flaky.db")}",
            ["RabbitMq:Host"] = "unused",
            ["RabbitMq:Username"] = "unused",
            ["RabbitMq:Password"] = "unused",
            ["Messaging:Retry:Immediate:0"] = "00:00:00.010",
            ["Messaging:Retry:Immediate:1"] = "00:00:00.010",
            ["Messaging:Retry:Delayed:0"] = "00:00:00.300",
            ["Messaging:Retry:Delayed:1"] = "00:00:00.600",
            ["Messaging:Retry:PollInterval"] = "00:00:00.050",
            ["Outbox:PollInterval"] = "00:00:00.050",
        });
        builder.AddTicketHubDatabase(typeof(RedeliveryTests).Assembly);
        builder.AddTicketHubBus(bus => bus.AddConsumer<FlakyConsumer, FlakyConsumerDefinition>());
        builder.Services.AddMassTransitTestHarness(bus => bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(30), testInactivityTimeout: TimeSpan.FromSeconds(1)));
        _host = builder.Build();
        await _host.StartAsync();
        _harness = _host.Services.GetTestHarness();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _host.StopAsync();
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        TicketHub.Testing.TempFolder.Delete(_folder);
    }

    [Test]
    public async Task A_message_that_fails_through_its_immediate_retries_comes_back_later_with_the_same_id_and_succeeds()
    {
        FlakyConsumer.FailuresBeforeSuccess = Immediate + 1;
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(Comment(), context => context.MessageId = messageId);

        await WaitUntilAsync(() => FlakyConsumer.Succeeded.Count == 1, "the redelivered message succeeded");
        Assert.That(FlakyConsumer.Attempts, Has.Count.EqualTo(Immediate + 2));
        Assert.That(FlakyConsumer.Attempts.Select(a => a.MessageId), Is.All.EqualTo(messageId));
        Assert.That(FlakyConsumer.Attempts[^1].Redelivery, Is.EqualTo(1));
        Assert.That(await CountAsync("dead_letters"), Is.Zero);
        Assert.That(_harness.Published.Select<Fault<TicketCommentAdded>>(), Is.Empty, "nothing goes to the error queue");
    }

    [Test]
    public async Task A_message_that_keeps_failing_becomes_a_dead_letter_announced_with_its_ticket()
    {
        FlakyConsumer.FailuresBeforeSuccess = int.MaxValue;
        var comment = Comment();

        await _harness.Bus.Publish(comment);

        await WaitUntilAsync(() => _harness.Published.Select<MessageDeadLettered>().Any(), "the dead letter was announced");
        var letter = _harness.Published.Select<MessageDeadLettered>().Single().Context.Message;
        Assert.That((letter.Service, letter.MessageType, letter.TicketId, letter.Reference), Is.EqualTo(("flaky", "TicketCommentAdded", (Guid?)comment.TicketId, (string?)comment.Reference)));
        Assert.That(letter.Queue, Is.EqualTo("flaky-flaky"));
        Assert.That(letter.Reason, Is.EqualTo("TimeoutException: the tool did not answer (attempt 9)"));
        Assert.That(FlakyConsumer.Attempts, Has.Count.EqualTo((Immediate + 1) * 3), "immediate retries, then two delayed redeliveries of as many");
        Assert.That(letter.Attempts, Is.EqualTo(FlakyConsumer.Attempts.Count));
        Assert.That(letter.LastFailedAt - letter.FirstFailedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)), "0.3 s then 0.6 s between the rounds");
        Assert.That(await CountAsync("dead_letters"), Is.EqualTo(1));
        Assert.That(_harness.Published.Select<Fault<TicketCommentAdded>>(), Is.Empty, "nothing goes to the error queue");
    }

    [Test]
    public async Task A_message_that_can_never_succeed_is_dead_lettered_at_once()
    {
        FlakyConsumer.FailuresBeforeSuccess = int.MaxValue;
        FlakyConsumer.Permanent = true;

        await _harness.Bus.Publish(Comment());

        await WaitUntilAsync(() => _harness.Published.Select<MessageDeadLettered>().Any(), "the dead letter was announced");
        Assert.That(FlakyConsumer.Attempts, Has.Count.EqualTo(1), "no retry, no redelivery");
    }

    [Test]
    public async Task A_replayed_dead_letter_goes_back_to_its_queue_with_its_id_and_is_replayed_once()
    {
        FlakyConsumer.FailuresBeforeSuccess = int.MaxValue;
        var messageId = NewId.NextGuid();
        await _harness.Bus.Publish(Comment(), context => context.MessageId = messageId);
        await WaitUntilAsync(() => _harness.Published.Select<MessageDeadLettered>().Any(), "the dead letter was announced");
        var letter = _harness.Published.Select<MessageDeadLettered>().Single().Context.Message;
        FlakyConsumer.FailuresBeforeSuccess = 0; // the fix

        var replay = new DeadLetterReplayRequested(letter.DeadLetterId, "flaky", "admin", DateTimeOffset.UtcNow);
        await _harness.Bus.Publish(replay);
        await _harness.Bus.Publish(replay);
        await _harness.Bus.Publish(replay with { Service = "another-service" });

        await WaitUntilAsync(() => FlakyConsumer.Succeeded.Count == 1, "the replayed message succeeded");
        await Task.Delay(500);
        Assert.That(FlakyConsumer.Succeeded, Is.EqualTo(new[] { messageId }), "replayed once, with its own id");
        await using var connection = await OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<string?>("SELECT replayed_at FROM dead_letters"), Is.Not.Null);
    }

    private static TicketCommentAdded Comment() =>
        new(Guid.NewGuid(), "TH-2026-000042", Guid.NewGuid(), "Le photocopieur aussi.", "Claire Martin", DateTimeOffset.UtcNow, "glpi", "15");

    private async Task<long> CountAsync(string table)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "flaky.db")}");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string because)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), $"never happened: {because}");
            await Task.Delay(20);
        }
    }
}

/// <summary>A consumer that fails a given number of times, then succeeds.</summary>
public sealed class FlakyConsumer : IConsumer<TicketCommentAdded>
{
    private static readonly object Gate = new();
    private static readonly List<(Guid MessageId, int Redelivery)> AttemptList = [];
    private static readonly List<Guid> SucceededList = [];

    public static int FailuresBeforeSuccess { get; set; }

    public static bool Permanent { get; set; }

    public static IReadOnlyList<(Guid MessageId, int Redelivery)> Attempts
    {
        get
        {
            lock (Gate)
            {
                return [.. AttemptList];
            }
        }
    }

    public static IReadOnlyList<Guid> Succeeded
    {
        get
        {
            lock (Gate)
            {
                return [.. SucceededList];
            }
        }
    }

    public static void Reset()
    {
        lock (Gate)
        {
            AttemptList.Clear();
            SucceededList.Clear();
            FailuresBeforeSuccess = 0;
            Permanent = false;
        }
    }

    public Task Consume(ConsumeContext<TicketCommentAdded> context)
    {
        int attempt;
        lock (Gate)
        {
            AttemptList.Add((context.MessageId!.Value, context.Headers.Get<int>(RedeliveryFilter<object>.RedeliveryHeader) ?? 0));
            attempt = AttemptList.Count;
            if (attempt > FailuresBeforeSuccess)
            {
                SucceededList.Add(context.MessageId!.Value);
                return Task.CompletedTask;
            }
        }

        throw Permanent
            ? new PermanentMessageException("this comment names a ticket that never existed")
            : new TimeoutException($"the tool did not answer (attempt {attempt})");
    }
}

public sealed class FlakyConsumerDefinition : ConsumerDefinition<FlakyConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<FlakyConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}
