using System.Globalization;

namespace TicketHub.Sandbox.PassOmere;

/// <summary>
/// A tool with no public API that the sandbox emulates through the hub's own contract
/// (<c>docs/api/outil-externe.openapi.yaml</c>): one implementation, one instance per tool, each with
/// its own store, options section, API under <c>/{Key}/api</c> and pages under <c>/{Key}</c>.
/// </summary>
/// <param name="Key">Route segment and service key: <c>pass</c>, <c>omere</c>.</param>
/// <param name="Name">Shown on the pages.</param>
/// <param name="Owner">Who runs the tool, shown on the pages.</param>
/// <param name="QueueLabel">What the tool calls the <c>queue</c> of the contract.</param>
/// <param name="TechnicianName">Author of the replies and notes written from the pages.</param>
/// <param name="FormatId">The tool's number from the ticket's sequence number (1, 2…) and creation instant.</param>
internal sealed record ExternalTool(
    string Key,
    string Name,
    string Owner,
    string QueueLabel,
    string TechnicianName,
    Func<int, DateTimeOffset, string> FormatId)
{
    /// <summary>
    /// PASS (Rectorat): numbers by year, <c>2026-000123</c>, as rectorat assistance tools number their
    /// requests. The year is the creation's (UTC); the sequence runs on across years. Zero-padded, so
    /// ordinal order is creation order within a year.
    /// </summary>
    public static readonly ExternalTool Pass = new(
        "pass", "PASS", "Rectorat, plateforme d'assistance", "File", "Technicien PASS (Rectorat)",
        (number, createdAt) => string.Create(CultureInfo.InvariantCulture, $"{createdAt.UtcDateTime.Year}-{number:000000}"));

    /// <summary>Omère (Département, services du bâti): <c>OM-000042</c>, one sequence.</summary>
    public static readonly ExternalTool Omere = new(
        "omere", "Omère", "Département, services du bâti", "UT", "Agent Omère (bâti)",
        (number, _) => string.Create(CultureInfo.InvariantCulture, $"OM-{number:000000}"));

    public static readonly IReadOnlyList<ExternalTool> All = [Pass, Omere];

    /// <summary>Options section, e.g. <c>Sandbox:Pass</c> (env: <c>Sandbox__Pass__ApiToken</c>).</summary>
    public string SectionName => "Sandbox:" + char.ToUpperInvariant(Key[0]) + Key[1..];

    public string ApiPath => $"/{Key}/api";

    public string PagesPath => $"/{Key}";
}
