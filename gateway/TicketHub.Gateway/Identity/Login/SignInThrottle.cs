using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace TicketHub.Gateway.Identity.Login;

/// <summary>
/// Slows password guessing on a login without letting anyone lock its owner out (issue 12).
/// Failed sign-ins are counted per login <em>and client</em>: a browser that signed in to that login
/// before (it holds the gateway's device cookie for it) has a budget of its own, which nobody else can
/// spend; any other client counts per login and address, and all unknown clients of a login together.
/// Past a budget each further attempt waits a delay that doubles with each failure (capped), instead
/// of a fixed lockout. A success clears the client's counts. Counts live in memory: a restarted
/// gateway forgets them, and each gateway behind one address counts its own.
/// </summary>
public sealed class SignInThrottle(IOptions<LoginRateLimitOptions> options, TimeProvider clock)
{
    private const int MaxTrackedBuckets = 100_000;

    private readonly ConcurrentDictionary<string, Failures> _buckets = new(StringComparer.Ordinal);

    /// <summary>The buckets an attempt on <paramref name="login"/> from this client counts in.</summary>
    public IReadOnlyList<Bucket> BucketsFor(string login, string? deviceId, string clientAddress)
    {
        var limits = options.Value;
        return deviceId is not null
            ? [new Bucket($"device:{login}:{deviceId}", limits.PerLoginAndClient)]
            : [new Bucket($"client:{login}:{clientAddress}", limits.PerLoginAndClient), new Bucket($"login:{login}", limits.PerLogin)];
    }

    /// <summary>How long this client must still wait before trying again; zero when it may try now.</summary>
    public TimeSpan WaitBeforeAttempt(IReadOnlyList<Bucket> buckets)
    {
        var now = clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        foreach (var bucket in buckets)
        {
            if (_buckets.TryGetValue(bucket.Key, out var failures) && !IsForgotten(failures, now))
            {
                var delay = Delay(failures.Count, bucket.Budget);
                var remaining = failures.LastAt + delay - now;
                if (remaining > wait)
                {
                    wait = remaining;
                }
            }
        }

        return wait;
    }

    public void Failed(IReadOnlyList<Bucket> buckets)
    {
        var now = clock.GetUtcNow();
        if (_buckets.Count >= MaxTrackedBuckets)
        {
            foreach (var (key, failures) in _buckets)
            {
                if (IsForgotten(failures, now))
                {
                    _buckets.TryRemove(key, out _);
                }
            }
        }

        foreach (var bucket in buckets)
        {
            _buckets.AddOrUpdate(bucket.Key,
                _ => new Failures(1, now),
                (_, failures) => IsForgotten(failures, now) ? new Failures(1, now) : new Failures(failures.Count + 1, now));
        }
    }

    /// <summary>A success clears the client's own counts, not those of every unknown client of the login.</summary>
    public void Succeeded(IReadOnlyList<Bucket> buckets) => _buckets.TryRemove(buckets[0].Key, out _);

    /// <summary>No delay within the budget; then the first delay, doubling at each further failure, up to the maximum.</summary>
    private TimeSpan Delay(int failures, int budget)
    {
        var limits = options.Value;
        if (failures < budget)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - budget, 30);
        var delay = limits.FirstDelay * Math.Pow(2, doublings);
        return delay > limits.MaxDelay ? limits.MaxDelay : delay;
    }

    private bool IsForgotten(Failures failures, DateTimeOffset now) => now - failures.LastAt > options.Value.ForgetAfter;

    public sealed record Bucket(string Key, int Budget);

    private sealed record Failures(int Count, DateTimeOffset LastAt);
}

/// <summary>
/// The device cookie: set when a person signs in, it names the login and a random device id,
/// protected by the gateway's data-protection keys, so a client cannot forge one for a login it
/// never signed in to. It proves only that this browser signed in to that login before.
/// </summary>
public sealed class DeviceCookie(IDataProtectionProvider protection, GatewayCookies cookies, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly IDataProtector _protector = protection.CreateProtector("TicketHub.Gateway.DeviceCookie.v1");

    /// <summary>The device id this request's cookie holds for <paramref name="login"/>, or null.</summary>
    public string? DeviceIdFor(HttpRequest request, string login)
    {
        var value = request.Cookies[cookies.Device];
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(value).Split('\n');
            return parts.Length == 2 && parts[0] == login ? parts[1] : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public void Issue(HttpResponse response, string login, string? deviceId) =>
        response.Cookies.Append(cookies.Device, _protector.Protect($"{login}\n{deviceId ?? Guid.NewGuid().ToString("N")}"), new CookieOptions
        {
            HttpOnly = true,
            Secure = cookies.Secure,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Expires = clock.GetUtcNow() + Lifetime,
        });
}
