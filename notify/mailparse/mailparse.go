// Package mailparse takes a received email apart: its decoded subject,
// text and HTML parts, and every leaf part with its disposition. The test
// SMTP server (smtptest) and the development mailbox (devmail) read mail
// with it.
package mailparse

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// Parsed is a received message taken apart.
type Parsed struct {
	Header  mail.Header
	Subject string // decoded
	Text    string // the text/plain part, decoded
	HTML    string // the text/html part, decoded
	Parts   []Part // every leaf part, attachments included
}

// Part is one leaf MIME part.
type Part struct {
	ContentType string // as written, with its parameters
	MediaType   string
	Params      map[string]string
	Disposition string
	Filename    string
	Body        string // decoded
}

// Attachment returns the first part with that media type, or nil.
func (p *Parsed) Attachment(mediaType string) *Part {
	for i := range p.Parts {
		if p.Parts[i].MediaType == mediaType {
			return &p.Parts[i]
		}
	}
	return nil
}

// Parse takes a raw message apart.
func Parse(raw []byte) (*Parsed, error) {
	m, subject, err := readHeader(raw)
	if err != nil {
		return nil, err
	}
	p := &Parsed{Header: m.Header, Subject: subject}
	if err := walk(p, textproto(m.Header), m.Body); err != nil {
		return nil, fmt.Errorf("mailparse: %w", err)
	}
	for _, part := range p.Parts {
		switch {
		case part.MediaType == "text/plain" && part.Disposition == "" && p.Text == "":
			p.Text = part.Body
		case part.MediaType == "text/html" && part.Disposition == "" && p.HTML == "":
			p.HTML = part.Body
		}
	}
	return p, nil
}

// Subject is a raw message's decoded subject; the body is not read.
func Subject(raw []byte) (string, error) {
	_, subject, err := readHeader(raw)
	return subject, err
}

func readHeader(raw []byte) (*mail.Message, string, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, "", fmt.Errorf("mailparse: read message: %w", err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return nil, "", fmt.Errorf("mailparse: subject: %w", err)
	}
	return m, subject, nil
}

type header interface{ Get(string) string }

func textproto(h mail.Header) header { return h }

func walk(p *Parsed, h header, body io.Reader) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(p, part.Header, part); err != nil {
				return err
			}
		}
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "base64":
		raw, err = base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, string(raw)))
	case "quoted-printable":
		raw, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
	}
	if err != nil {
		return err
	}
	part := Part{ContentType: ct, MediaType: mt, Params: params, Body: string(raw)}
	if cd := h.Get("Content-Disposition"); cd != "" {
		d, dp, err := mime.ParseMediaType(cd)
		if err != nil {
			return err
		}
		part.Disposition, part.Filename = d, dp["filename"]
	}
	p.Parts = append(p.Parts, part)
	return nil
}
