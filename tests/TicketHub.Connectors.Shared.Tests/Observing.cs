using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>Every log line, formatted with its exception, to assert on what an operator would read.</summary>
internal sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>Waits for a condition by polling it: tests assert on outcomes, never on durations.</summary>
internal static class Until
{
    public static Task TrueAsync(Func<bool> condition, string because, int seconds = 20) =>
        TrueAsync(() => Task.FromResult(condition()), because, seconds);

    public static async Task TrueAsync(Func<Task<bool>> condition, string because, int seconds = 20)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            NUnit.Framework.Assert.That(started.Elapsed, NUnit.Framework.Is.LessThan(TimeSpan.FromSeconds(seconds)), $"never happened: {because}");
            await Task.Delay(25);
        }
    }
}
