using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TicketHub.Gateway.Identity.Accounts;
using TicketHub.Gateway.Identity.ApiKeys;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Gateway.Identity.Seeding;

/// <summary>
/// Imports <c>Identity:SeedFile</c> at start, after the migrations: accounts and keys that do not
/// exist yet are created; existing ones are left as they are (a key marked revoked in the file is
/// revoked). Running it again changes nothing. A file that is missing or wrong stops the start,
/// with the entry and the reason; no secret is ever written to the log.
/// </summary>
public sealed partial class IdentitySeeder(
    IOptions<IdentityOptions> options,
    IHostEnvironment environment,
    DatabaseState database,
    AccountStore accounts,
    ApiKeyStore keys,
    IPasswordHasher<LocalAccount> hasher,
    TimeProvider clock,
    ILogger<IdentitySeeder> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _deferred;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.SeedFile))
        {
            return;
        }

        var seed = Load(Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.SeedFile)), out var path);
        if (database.IsReady)
        {
            await ImportAsync(seed, path, cancellationToken);
            return;
        }

        // The database did not answer at start: import as soon as it does.
        _deferred = Task.Run(async () =>
        {
            try
            {
                await database.WaitUntilReadyAsync(_stopping.Token);
                await ImportAsync(seed, path, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopped before the database answered.
            }
            catch (Exception ex)
            {
                LogDeferredImportFailed(ex);
            }
        }, CancellationToken.None);
    }

    private static IdentitySeed Load(string path, out string fullPath)
    {
        fullPath = path;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Identity:SeedFile : le fichier '{path}' est introuvable / file not found. Set Identity__SeedFile to the accounts file, or leave it empty.");
        }

        IdentitySeed seed;
        try
        {
            seed = IdentitySeed.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            // The parser's message names the line and the property, never a value.
            throw new InvalidOperationException($"Identity:SeedFile : '{path}' n'est pas un JSON valide / is not valid JSON: line {ex.LineNumber + 1}, {ex.Path}: {ex.Message}");
        }

        var errors = seed.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"Identity:SeedFile : '{path}' contient des erreurs, rien n'a été importé / has errors, nothing imported:{Environment.NewLine}"
                + string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
        }

        return seed;
    }

    private async Task ImportAsync(IdentitySeed seed, string path, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var createdAccounts = 0;
        foreach (var entry in seed.Accounts)
        {
            if (await accounts.FindAsync(entry.Login, cancellationToken) is not null)
            {
                continue;
            }

            var account = new LocalAccount(Guid.NewGuid(), LocalAccount.NormalizeLogin(entry.Login), entry.DisplayName.Trim(), entry.Role,
                string.IsNullOrEmpty(entry.Uai) ? null : entry.Uai, "", entry.Disabled, now);
            account = account with { PasswordHash = entry.PasswordHash ?? hasher.HashPassword(account, entry.Password!) };
            if (await accounts.CreateIfMissingAsync(account, cancellationToken))
            {
                createdAccounts++;
            }
        }

        var createdKeys = 0;
        foreach (var entry in seed.ApiKeys)
        {
            var key = new ApiKey(entry.ResolveId()!, entry.Name.Trim(), entry.Role, string.IsNullOrEmpty(entry.Uai) ? null : entry.Uai,
                entry.ResolveSecretHash()!, now, null, entry.Revoked);
            if (await keys.CreateIfMissingAsync(key, cancellationToken))
            {
                createdKeys++;
            }
            else if (entry.Revoked)
            {
                await keys.RevokeAsync(key.Id, cancellationToken);
            }
        }

        LogSeeded(createdAccounts, seed.Accounts.Count, createdKeys, seed.ApiKeys.Count, path);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_deferred is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _deferred.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        if (_deferred is null || _deferred.IsCompleted)
        {
            _stopping.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Identity seed: {CreatedAccounts} of {Accounts} accounts and {CreatedKeys} of {Keys} API keys created from {Path} (the others already existed)")]
    private partial void LogSeeded(int createdAccounts, int accounts, int createdKeys, int keys, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "The identity seed could not be imported once the database answered")]
    private partial void LogDeferredImportFailed(Exception exception);
}
