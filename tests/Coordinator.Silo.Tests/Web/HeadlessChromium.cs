using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Coordinator.Silo.Tests.Web;

/// <summary>
/// Debian's chromium, headless, driven through its chromium-driver (both installed by <c>.ci/install-tools</c>): the
/// browser a person would use, without a display. Waits poll the page's DOM with a deadline (the page changes on its own,
/// from the server's events, so there is no signal to await).
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    // A ceiling for one visible change (a canary of 1 s pauses on a loaded CI machine), not a typical wait.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HeadlessChromium(ChromeDriver driver) => Page = driver;

    public IWebDriver Page { get; }

    public static HeadlessChromium Open(Uri url)
    {
        if (!File.Exists(Browser) || !File.Exists(Driver))
            throw new InvalidOperationException(
                $"the browser tests need Debian's chromium and chromium-driver ({Browser}, {Driver}): run .ci/install-tools (apt-get install -y chromium chromium-driver)");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        var browser = new HeadlessChromium(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)));
        browser.Page.Navigate().GoToUrl(url);
        return browser;
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the page; the failure names what was awaited and shows the page's text.</summary>
    public void WaitUntil(Func<IWebDriver, bool> condition, string what)
    {
        var wait = new WebDriverWait(Page, Patience) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            wait.Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            throw new TimeoutException($"the page did not show that {what} within {Patience.TotalSeconds} s; it shows:\n{Text("body")}");
        }
    }

    // Reads go through one script each: the page redraws from its events at any time, so an element found by one call
    // may be gone by the next (a stale reference); a script reads the DOM in one go.

    /// <summary>The visible text of the first element matching the CSS selector, or "" when there is none.</summary>
    public string Text(string css) =>
        (string)Script("const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css)!;

    /// <summary>The visible texts of every element matching the CSS selector.</summary>
    public IReadOnlyList<string> Texts(string css) =>
        Strings(Script("return [...document.querySelectorAll(arguments[0])].map(e => e.innerText.trim());", css));

    /// <summary>An attribute of every element matching the CSS selector.</summary>
    public IReadOnlyList<string> Attributes(string css, string attribute) =>
        Strings(Script("return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]) ?? '');", css, attribute));

    /// <summary>Clicks the element once it is there and enabled, as a person would wait for the button.</summary>
    public void Click(string css, string what) => WaitUntil(page =>
    {
        var element = page.FindElement(By.CssSelector(css));
        if (!element.Displayed || !element.Enabled) return false;
        element.Click();
        return true;
    }, what);

    public IWebElement Find(string css) => Page.FindElement(By.CssSelector(css));

    private object? Script(string script, params object[] args) => ((IJavaScriptExecutor)Page).ExecuteScript(script, args);

    private static IReadOnlyList<string> Strings(object? result) =>
        result is IEnumerable<object> items ? items.Select(i => i?.ToString() ?? "").ToList() : [];

    public void Dispose()
    {
        Page.Quit();
        Page.Dispose();
    }
}
