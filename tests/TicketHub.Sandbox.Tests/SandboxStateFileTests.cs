using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace TicketHub.Sandbox.Tests;

public sealed class SandboxStateFileTests
{
    private string _file = "";

    [SetUp]
    public void SetUp() => _file = Path.Combine(Path.GetTempPath(), $"sandbox-state-{Guid.NewGuid():N}", "glpi.json");

    [TearDown]
    public void TearDown()
    {
        var folder = Path.GetDirectoryName(_file)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<int> CreateAsync(SandboxApp app, string name)
    {
        using var client = await app.LogInAsync();
        using var response = await client.PostAsJsonAsync($"{SandboxApp.Api}/Ticket", new { input = new { name, content = "c", entities_id = 0 } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    [Test]
    public async Task Tickets_survive_a_restart_and_ids_continue_when_a_state_file_is_set()
    {
        var settings = new Dictionary<string, string?> { ["Sandbox:Glpi:StateFile"] = _file };
        int first;
        using (var app = new SandboxApp(settings))
        {
            first = await CreateAsync(app, "avant le redémarrage");
        }

        using var restarted = new SandboxApp(settings);
        var second = await CreateAsync(restarted, "après le redémarrage");
        using var client = await restarted.LogInAsync();
        var kept = await client.GetFromJsonAsync<JsonElement>($"{SandboxApp.Api}/Ticket/{first}");

        Assert.That(second, Is.EqualTo(first + 1));
        Assert.That(kept.GetProperty("name").GetString(), Is.EqualTo("avant le redémarrage"));
    }

    [Test]
    public async Task Reads_a_state_file_written_before_solutions_and_keeps_solutions_from_then_on()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        await File.WriteAllTextAsync(_file, """
            {"lastTicketId":1,"lastFollowupId":0,"followups":[],"tickets":[{"id":1,"entityId":0,"name":"ancien","content":"c","status":2,
             "date":"2026-11-19T08:00:00+00:00","dateMod":"2026-11-19T08:00:00+00:00"}]}
            """);
        var settings = new Dictionary<string, string?> { ["Sandbox:Glpi:StateFile"] = _file };
        using (var app = new SandboxApp(settings))
        {
            app.Services.GetRequiredService<TicketHub.Sandbox.Glpi.GlpiStore>().Solve(1, 5, "Réglé.");
        }

        using var restarted = new SandboxApp(settings);
        using var client = await restarted.LogInAsync();
        var solutions = await client.GetFromJsonAsync<JsonElement>($"{SandboxApp.Api}/Ticket/1/ITILSolution");

        Assert.That(solutions.GetArrayLength(), Is.EqualTo(1));
        Assert.That(solutions[0].GetProperty("content").GetString(), Is.EqualTo("Réglé."));
        Assert.That(solutions[0].GetProperty("id").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Without_a_state_file_a_restart_starts_empty()
    {
        using (var app = new SandboxApp())
        {
            await CreateAsync(app, "éphémère");
        }

        using var restarted = new SandboxApp();
        Assert.That(await CreateAsync(restarted, "premier"), Is.EqualTo(1));
    }
}
