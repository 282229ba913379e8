using System.Globalization;

namespace TicketHub.Portal.Display;

/// <summary>One bar: its label, its length, the figure written beside it, and an optional lighter bar behind it (a 90th percentile behind a median).</summary>
public sealed record Bar(string Label, double Value, string Text, double? Behind = null);

/// <summary>
/// A horizontal bar chart drawn on the server as SVG (no script, no inline style: the page's CSP
/// forbids both), described to screen readers by its title and always followed by the table of its
/// figures (RGAA: a chart never stands alone).
/// </summary>
public sealed record BarChart(string Id, string Title, IReadOnlyList<Bar> Bars, string? Legend = null)
{
    public const int Width = 640;
    public const int LabelWidth = 240;
    public const int RowHeight = 30;
    public const int BarHeight = 18;
    private const int TextRoom = 110;

    public int Height => Math.Max(1, Bars.Count) * RowHeight + 10;

    private double Max => Math.Max(1e-9, Bars.Select(b => Math.Max(b.Value, b.Behind ?? 0)).DefaultIfEmpty(0).Max());

    /// <summary>The length, in the SVG's units, of a value on the chart's scale.</summary>
    public string Length(double value) => (value <= 0 ? 0 : Math.Max(1, value / Max * (Width - LabelWidth - TextRoom))).ToString("F1", CultureInfo.InvariantCulture);

    public string TextX(Bar bar) => (LabelWidth + 6 + double.Parse(Length(Math.Max(bar.Value, bar.Behind ?? 0)), CultureInfo.InvariantCulture)).ToString("F1", CultureInfo.InvariantCulture);

    public static string Y(int row, int offset) => (row * RowHeight + offset).ToString(CultureInfo.InvariantCulture);
}
