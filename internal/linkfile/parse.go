package linkfile

import (
	"slices"

	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
)

// AASAInfo is what an apple-app-site-association file associates.
type AASAInfo struct {
	AppLinksAppIDs       []string // from applinks.details (appID and appIDs), de-duplicated, in file order
	WebCredentialsAppIDs []string
	AppClipsAppIDs       []string
}

// AndroidApp is one android_app statement.
type AndroidApp struct {
	PackageName  string
	Fingerprints []string
	Relations    []string
}

// AssetLinksInfo is what an assetlinks.json file associates.
type AssetLinksInfo struct {
	AndroidApps []AndroidApp // one per android_app statement, in file order
	WebSites    []string     // "web" targets, in file order
}

// ParseAASA returns the app IDs of a file that validates without errors;
// otherwise the error joins the error problems.
func ParseAASA(data []byte) (AASAInfo, error) {
	c, root := validateAASA(AppleAppSiteAssociation, data)
	if err := diag.Err(c.ps); err != nil {
		return AASAInfo{}, err
	}
	var info AASAInfo
	if al, ok := root.Get("applinks"); ok {
		details, _ := al.Get("details")
		for _, d := range details.Elems {
			if id, ok := d.Get("appID"); ok {
				info.AppLinksAppIDs = appendNew(info.AppLinksAppIDs, id.Str)
			}
			if ids, ok := d.Get("appIDs"); ok {
				for _, id := range ids.Elems {
					info.AppLinksAppIDs = appendNew(info.AppLinksAppIDs, id.Str)
				}
			}
		}
	}
	info.WebCredentialsAppIDs = sectionApps(root, "webcredentials")
	info.AppClipsAppIDs = sectionApps(root, "appclips")
	return info, nil
}

func sectionApps(root *jsontree.Node, section string) []string {
	var out []string
	if s, ok := root.Get(section); ok {
		apps, _ := s.Get("apps")
		for _, a := range apps.Elems {
			out = appendNew(out, a.Str)
		}
	}
	return out
}

func appendNew(ss []string, s string) []string {
	if slices.Contains(ss, s) {
		return ss
	}
	return append(ss, s)
}

// ParseAssetLinks returns the targets of a file that validates without
// errors; otherwise the error joins the error problems.
func ParseAssetLinks(data []byte) (AssetLinksInfo, error) {
	c, root := validateAssetLinks(AssetLinks, data)
	if err := diag.Err(c.ps); err != nil {
		return AssetLinksInfo{}, err
	}
	var info AssetLinksInfo
	for _, st := range root.Elems {
		t := st.Fields["target"]
		switch t.Fields["namespace"].Str {
		case "android_app":
			app := AndroidApp{PackageName: t.Fields["package_name"].Str}
			for _, f := range t.Fields["sha256_cert_fingerprints"].Elems {
				app.Fingerprints = append(app.Fingerprints, f.Str)
			}
			for _, r := range st.Fields["relation"].Elems {
				app.Relations = append(app.Relations, r.Str)
			}
			info.AndroidApps = append(info.AndroidApps, app)
		case "web":
			info.WebSites = append(info.WebSites, t.Fields["site"].Str)
		}
	}
	return info, nil
}
