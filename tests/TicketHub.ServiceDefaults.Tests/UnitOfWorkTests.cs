using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>
/// The unit of work a message or a request runs in (ADR 17): what its work writes commits once, at the
/// end, or not at all; what is begun inside it joins it; nothing changes state outside one.
/// </summary>
public sealed class UnitOfWorkTests
{
    private TestDatabase _database = null!;
    private IHost _service = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = TestDatabase.Create(DatabaseProvider.Sqlite, "unit-of-work");
        _service = await ReplicaHost.StartAsync(_database, typeof(UnitOfWorkTests).Assembly);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _service.StopAsync();
        _service.Dispose();
        _database.Dispose();
    }

    [Test]
    public async Task What_the_work_wrote_is_committed_when_it_returns_and_only_then_are_the_after_commit_actions_run()
    {
        var seenInside = -1L;
        var woken = false;
        await Units.RunAsync(async () =>
        {
            await Outbox.EnqueueAsync(Comment(), CancellationToken.None);
            UnitOfWork.AfterCommit(() => woken = true);
            seenInside = await StoredAsync();
            Assert.That(woken, Is.False, "run before the commit");
        }, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(seenInside, Is.Zero, "another connection saw the message before the commit");
            Assert.That(await StoredAsync(), Is.EqualTo(1));
            Assert.That(woken, Is.True);
        });
    }

    [Test]
    public async Task Work_that_throws_leaves_nothing_written_and_runs_no_after_commit_action()
    {
        var woken = false;
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Units.RunAsync(async () =>
        {
            await Outbox.EnqueueAsync(Comment(), CancellationToken.None);
            UnitOfWork.AfterCommit(() => woken = true);
            throw new InvalidOperationException("the tool refused");
        }, CancellationToken.None));

        Assert.That(thrown!.Message, Is.EqualTo("the tool refused"));
        Assert.That(await StoredAsync(), Is.Zero);
        Assert.That(woken, Is.False);
    }

    [Test]
    public async Task A_unit_of_work_begun_inside_another_joins_it_and_commits_with_it()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Units.RunAsync(async () =>
        {
            var outer = UnitOfWork.Current;
            await Units.RunAsync(async () =>
            {
                Assert.That(UnitOfWork.Current, Is.SameAs(outer));
                await Outbox.EnqueueAsync(Comment(), CancellationToken.None);
            }, CancellationToken.None);

            Assert.That(await StoredAsync(), Is.Zero, "the inner work committed on its own");
            throw new InvalidOperationException("the outer work fails after the inner one returned");
        }, CancellationToken.None));

        Assert.That(await StoredAsync(), Is.Zero, "the inner work's message outlived the outer failure");
    }

    [Test]
    public async Task A_unit_of_work_on_another_database_does_not_join_the_one_in_progress()
    {
        using var otherDatabase = TestDatabase.Create(DatabaseProvider.Sqlite, "unit-of-work-other");
        using var other = await ReplicaHost.StartAsync(otherDatabase, typeof(UnitOfWorkTests).Assembly);
        var otherUnits = other.Services.GetRequiredService<UnitOfWork>();
        var otherOutbox = other.Services.GetRequiredService<IOutbox>();

        await Units.RunAsync(async () =>
        {
            var mine = UnitOfWork.Current;
            await otherUnits.RunAsync(async () =>
            {
                Assert.That(UnitOfWork.Current, Is.Not.SameAs(mine));
                await otherOutbox.EnqueueAsync(Comment(), CancellationToken.None);
            }, CancellationToken.None);
            Assert.That(UnitOfWork.Current, Is.SameAs(mine), "the outer unit is the current one again");
        }, CancellationToken.None);

        Assert.That(await StoredAsync(otherDatabase), Is.EqualTo(1));
        Assert.That(await StoredAsync(), Is.Zero);
        await other.StopAsync();
    }

    [Test]
    public async Task A_change_outside_any_unit_of_work_is_refused_with_where_it_should_run()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Outbox.EnqueueAsync(Comment(), CancellationToken.None));
        Assert.That(refused!.Message, Does.Contain("No unit of work is in progress"));
    }

    [Test]
    public async Task Once_its_unit_of_work_has_ended_a_task_it_started_can_no_longer_write_in_it()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? late = null;
        await Units.RunAsync(() =>
        {
            late = Task.Run(async () =>
            {
                await release.Task;
                await Outbox.EnqueueAsync(Comment(), CancellationToken.None);
            });
            return Task.CompletedTask;
        }, CancellationToken.None);

        release.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(() => late!);
        Assert.That(await StoredAsync(), Is.Zero);
    }

    private UnitOfWork Units => _service.Services.GetRequiredService<UnitOfWork>();

    private IOutbox Outbox => _service.Services.GetRequiredService<IOutbox>();

    private static TicketCommentAdded Comment() =>
        new(Guid.NewGuid(), "TH-2026-000001", Guid.NewGuid(), "Précision", "Secrétariat", DateTimeOffset.UtcNow, ExternalTools.Glpi, "1");

    private Task<long> StoredAsync() => StoredAsync(_database);

    private static async Task<long> StoredAsync(TestDatabase database)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages");
    }
}
