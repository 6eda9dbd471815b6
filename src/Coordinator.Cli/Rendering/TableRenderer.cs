using System.Text;

namespace Coordinator.Cli.Rendering;

/// <summary>Aligns cells into columns like Go's tabwriter in kubectl: two spaces between columns, no trailing blanks.</summary>
public static class TableRenderer
{
    public const int Padding = 2;

    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) =>
        Align([headers, .. rows]);

    /// <summary>Aligns every row; <paramref name="minWidths"/> optionally sets a minimum width per column (padding included).</summary>
    public static string Align(IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<int>? minWidths = null)
    {
        var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        var widths = new int[columns];
        for (var i = 0; i < columns; i++)
        {
            // The last cell of a row is not padded, so it does not widen its column.
            widths[i] = rows.Where(r => i < r.Count - 1).Select(r => Width(r[i]) + Padding).DefaultIfEmpty(0).Max();
            if (minWidths is not null && i < minWidths.Count)
                widths[i] = Math.Max(widths[i], minWidths[i]);
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Count; i++)
            {
                line.Append(row[i]);
                if (i < row.Count - 1)
                    line.Append(' ', widths[i] - Width(row[i]));
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Width in runes, as tabwriter counts them (all icons used here are one column wide).</summary>
    public static int Width(string cell) => cell.EnumerateRunes().Count();
}
