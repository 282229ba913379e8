using Microsoft.Extensions.Options;

namespace TicketHub.Classifier.Registry;

/// <summary>
/// Fills an empty registry from <c>Registry:SeedFile</c> at start, after the migrations and before
/// the bus, so that the first tickets are routed against a registry. A seed file that is missing or
/// has a bad row fails the start: a silently empty registry would send every ticket to triage.
/// </summary>
public sealed partial class RegistrySeeder(
    CollegeStore colleges,
    IOptions<RegistryOptions> options,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<RegistrySeeder> logger) : IHostedService
{
    public const string SeedUser = "seed";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var seedFile = options.Value.SeedFile;
        if (string.IsNullOrWhiteSpace(seedFile) || await colleges.CountAsync(cancellationToken) > 0)
        {
            return;
        }

        var path = Path.GetFullPath(Path.Combine(environment.ContentRootPath, seedFile));
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Registry:SeedFile : le fichier '{path}' est introuvable / file not found. Set Registry__SeedFile to the registry CSV, or leave it empty.");
        }

        var result = CollegeCsv.Parse(await File.ReadAllTextAsync(path, cancellationToken), clock.GetLocalNow().Year);
        if (!result.IsValid)
        {
            var errors = string.Join(Environment.NewLine, result.Errors.Select(e => $"  ligne {e.Line} : {e.Message}"));
            throw new InvalidOperationException(
                $"Registry:SeedFile : '{path}' contient des erreurs, rien n'a été importé / has errors, nothing imported:{Environment.NewLine}{errors}");
        }

        var summary = await colleges.ImportAsync(result.Colleges, SeedUser, cancellationToken);
        LogSeeded(summary.Created, path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Registry seeded with {Count} collèges from {Path}")]
    private partial void LogSeeded(int count, string path);
}
