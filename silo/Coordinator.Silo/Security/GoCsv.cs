using System.Text;

namespace Coordinator.Silo.Security;

/// <summary>
/// Reads CSV records as Go's <c>encoding/csv</c> does with kube-apiserver's settings (variable field count, no comment
/// character, no space trimming): RFC 4180 quoting with <c>""</c> for a quote, quoted fields may span lines, empty
/// lines are skipped. So a token file reads here exactly as kube-apiserver reads it.
/// </summary>
internal static class GoCsv
{
    public static IEnumerable<(int Line, IReadOnlyList<string> Fields)> Read(string text)
    {
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            // Empty lines are ignored, as in Go.
            if (text[i] == '\n') { line++; i++; continue; }
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { line++; i += 2; continue; }

            var start = line;
            var fields = new List<string>();
            while (true)
            {
                var (field, next, newLines) = ReadField(text, i, line);
                fields.Add(field);
                line += newLines;
                i = next;
                if (i < text.Length && text[i] == ',') { i++; continue; }
                if (i < text.Length && text[i] == '\r') i++;
                if (i < text.Length && text[i] == '\n') { i++; line++; }
                break;
            }
            yield return (start, fields);
        }
    }

    private static (string Field, int Next, int NewLines) ReadField(string text, int i, int line)
    {
        var value = new StringBuilder();
        if (i >= text.Length || text[i] != '"')
        {
            while (i < text.Length && text[i] is not (',' or '\n') && !(text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
            {
                if (text[i] == '"') throw new FormatException($"line {line}: bare \" in non-quoted field");
                value.Append(text[i++]);
            }
            return (value.ToString(), i, 0);
        }

        var newLines = 0;
        i++;
        while (true)
        {
            if (i >= text.Length) throw new FormatException($"line {line}: extraneous or missing \" in quoted field");
            var c = text[i++];
            if (c == '"')
            {
                if (i < text.Length && text[i] == '"') { value.Append('"'); i++; continue; }
                if (i >= text.Length || text[i] is ',' or '\n' || (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
                    return (value.ToString(), i, newLines);
                throw new FormatException($"line {line + newLines}: extraneous or missing \" in quoted field");
            }
            if (c == '\n') newLines++;
            value.Append(c);
        }
    }
}
